package io.github.xrefoauth.autoconfigure;

import java.net.URI;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.account.reactive.ReactiveXrefTenantContext;
import io.github.xrefoauth.authorize.XrefClientRegistrations;
import io.github.xrefoauth.authorize.reactive.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.reactive.WebSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.reactive.XrefServerAuthorizationRequestResolver;
import io.github.xrefoauth.callback.XrefConnectOutcomes;
import io.github.xrefoauth.callback.reactive.XrefServerCallbackHandler;
import io.github.xrefoauth.event.XrefEventPublisher;
import io.github.xrefoauth.security.reactive.XrefServerHttpSecurityCustomizer;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.util.StringUtils;

/**
 * {@link AutoConfiguration Auto-configuration} of the connect flow in a reactive
 * (WebFlux) application with Spring Security: the pending authorization requests, the
 * callback handler, the {@link XrefConnectOutcomes} it counts in, and a
 * {@code Customizer<ServerHttpSecurity>} that adds the redirect and callback web filters
 * to every chain built from Spring Security's {@code ServerHttpSecurity} bean.
 */
@AutoConfiguration(after = { XrefOAuthAutoConfiguration.class, XrefWebClientAutoConfiguration.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(EnableWebFluxSecurity.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean({ XrefOAuthProperties.class, XrefAccountStore.class, XrefTokenClient.class,
		XrefTenantResolver.class })
public final class XrefReactiveWebSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveXrefTenantContext reactiveXrefTenantContext(XrefTenantResolver tenantResolver) {
		return new ReactiveXrefTenantContext(tenantResolver);
	}

	@Bean
	@ConditionalOnMissingBean(ServerXrefAuthorizationRequestRepository.class)
	WebSessionXrefAuthorizationRequestRepository xrefServerAuthorizationRequestRepository() {
		return new WebSessionXrefAuthorizationRequestRepository();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefServerCallbackHandler xrefServerCallbackHandler(XrefOAuthProperties properties,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository, XrefTokenClient tokenClient,
			XrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext, Environment environment,
			XrefConnectOutcomes connectOutcomes, ObjectProvider<XrefTokenRevoker> tokenRevoker,
			ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
		XrefServerCallbackHandler handler = new XrefServerCallbackHandler(callbackPath(properties, environment),
				authorizationRequestRepository, tokenClient, accountStore, tenantContext);
		handler.setConnectOutcomes(connectOutcomes);
		handler.setSuccessUrl(properties.getSuccessUrl());
		handler.setFailureUrl(properties.getFailureUrl());
		tokenRevoker.ifUnique(handler::setTokenRevoker);
		handler.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		observationRegistry.ifUnique(handler::setObservationRegistry);
		return handler;
	}

	/**
	 * The path of the redirect URL within the application: without
	 * {@code spring.webflux.base-path}, which the redirect URL includes.
	 */
	static String callbackPath(XrefOAuthProperties properties, Environment environment) {
		String path = URI.create(properties.getRedirectUri()).getRawPath();
		String basePath = StringUtils.trimTrailingCharacter(environment.getProperty("spring.webflux.base-path", ""),
				'/');
		if (!basePath.isEmpty() && path.startsWith(basePath + "/")) {
			path = path.substring(basePath.length());
		}
		return path.isEmpty() ? "/" : path;
	}

	@Bean
	@ConditionalOnMissingBean
	XrefServerAuthorizationRequestResolver xrefServerAuthorizationRequestResolver(
			@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
		return new XrefServerAuthorizationRequestResolver(registration);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "xref.oauth.apply-to-filter-chains", matchIfMissing = true)
	XrefServerHttpSecurityCustomizer xrefServerHttpSecurityCustomizer(XrefServerAuthorizationRequestResolver resolver,
			ServerXrefAuthorizationRequestRepository repository, XrefServerCallbackHandler callbackHandler) {
		return new XrefServerHttpSecurityCustomizer(resolver, repository, callbackHandler);
	}

}
