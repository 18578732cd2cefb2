package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.web.server.DefaultServerXrefNotConnectedHandler;
import io.github.xrefoauth.web.server.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.ServerXrefAuthorizationRequestResolver;
import io.github.xrefoauth.web.server.ServerXrefCallbackHandler;
import io.github.xrefoauth.web.server.ServerXrefNotConnectedHandler;
import io.github.xrefoauth.web.server.WebSessionServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.XrefServerHttpSecurityCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/**
 * {@link AutoConfiguration Auto-configuration} of the connect flow in a reactive
 * (WebFlux) application with Spring Security: the pending authorization requests, the
 * callback handler with the connect completion it hands the code to (which counts in
 * {@link XrefConnectOutcomes}), and a {@code Customizer<ServerHttpSecurity>} that adds
 * the redirect and callback web filters to every chain built from Spring Security's
 * {@code ServerHttpSecurity} bean; and Spring Boot's development user, kept (see
 * {@link XrefWebSecurityAutoConfiguration} for why). It runs after Spring Boot's reactive
 * user and OAuth 2 client auto-configurations.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class, afterName = {
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(EnableWebFluxSecurity.class)
@ConditionalOnBean(XrefOAuthProperties.class)
@Import({ XrefConnectManagerConfiguration.class, XrefDevelopmentUserConfigurations.ReactiveConfiguration.class })
public final class XrefReactiveWebSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ServerXrefAuthorizationRequestRepository.class)
	WebSessionServerXrefAuthorizationRequestRepository xrefServerAuthorizationRequestRepository() {
		return new WebSessionServerXrefAuthorizationRequestRepository();
	}

	@Bean
	@ConditionalOnMissingBean
	ServerXrefCallbackHandler xrefServerCallbackHandler(XrefOAuthProperties properties,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository,
			ReactiveXrefTenantContext tenantContext, XrefConnectManager completion, Environment environment) {
		ServerXrefCallbackHandler handler = new ServerXrefCallbackHandler(
				XrefOAuthSettings.reactiveCallbackPath(properties, environment), authorizationRequestRepository,
				tenantContext, completion);
		handler.setRedirects(new XrefConnectRedirects(properties.getSuccessUrl(), properties.getFailureUrl()));
		return handler;
	}

	@Bean
	@ConditionalOnMissingBean
	ServerXrefAuthorizationRequestResolver xrefServerAuthorizationRequestResolver(
			@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
		return new ServerXrefAuthorizationRequestResolver(registration);
	}

	@Bean
	@ConditionalOnMissingBean(ServerXrefNotConnectedHandler.class)
	@ConditionalOnBooleanProperty(name = "xref.oauth.not-connected-handling.enabled", matchIfMissing = true)
	DefaultServerXrefNotConnectedHandler xrefServerNotConnectedHandler() {
		return new DefaultServerXrefNotConnectedHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "xref.oauth.apply-to-filter-chains", matchIfMissing = true)
	XrefServerHttpSecurityCustomizer xrefServerHttpSecurityCustomizer(ServerXrefAuthorizationRequestResolver resolver,
			ServerXrefAuthorizationRequestRepository repository, ServerXrefCallbackHandler callbackHandler,
			ObjectProvider<ServerXrefNotConnectedHandler> notConnectedHandler) {
		XrefServerHttpSecurityCustomizer customizer = new XrefServerHttpSecurityCustomizer(resolver, repository,
				callbackHandler);
		notConnectedHandler.ifUnique(customizer::setNotConnectedHandler);
		return customizer;
	}

}
