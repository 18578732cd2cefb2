package io.github.xrefoauth.autoconfigure;

import java.net.URI;

import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefCallbackHandler;
import io.github.xrefoauth.web.XrefConfigurer;
import io.github.xrefoauth.web.XrefExcludingAuthorizationRequestResolver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.util.StringUtils;

/**
 * {@link AutoConfiguration Auto-configuration} of the connect flow in a servlet
 * application with Spring Security: the pending authorization requests, the callback
 * handler with the connect completion it hands the code to, and an {@code HttpSecurity}
 * customizer that adds both filters.
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class,
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(EnableWebSecurity.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefOAuthProperties.class)
@Import(XrefConnectManagerConfiguration.class)
public final class XrefWebSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(XrefAuthorizationRequestRepository.class)
	HttpSessionXrefAuthorizationRequestRepository xrefAuthorizationRequestRepository() {
		return new HttpSessionXrefAuthorizationRequestRepository();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefCallbackHandler xrefCallbackHandler(XrefOAuthProperties properties,
			XrefAuthorizationRequestRepository authorizationRequestRepository, XrefTenantContext tenantContext,
			XrefConnectManager completion, Environment environment) {
		XrefCallbackHandler handler = new XrefCallbackHandler(callbackPath(properties, environment),
				authorizationRequestRepository, tenantContext, completion);
		handler.setRedirects(new XrefConnectRedirects(properties.getSuccessUrl(), properties.getFailureUrl()));
		return handler;
	}

	/**
	 * The path of the redirect URL within the application: without the servlet context
	 * path, which the redirect URL includes.
	 */
	static String callbackPath(XrefOAuthProperties properties, Environment environment) {
		String path = URI.create(properties.getRedirectUri()).getRawPath();
		String contextPath = StringUtils
			.trimTrailingCharacter(environment.getProperty("server.servlet.context-path", ""), '/');
		if (!contextPath.isEmpty() && path.startsWith(contextPath + "/")) {
			path = path.substring(contextPath.length());
		}
		return path.isEmpty() ? "/" : path;
	}

	@Bean
	@ConditionalOnMissingBean(name = "xrefHttpSecurityCustomizer")
	@ConditionalOnBooleanProperty(name = "xref.oauth.apply-to-filter-chains", matchIfMissing = true)
	Customizer<HttpSecurity> xrefHttpSecurityCustomizer() {
		return (http) -> http.with(XrefConfigurer.xref());
	}

	/**
	 * Keeps {@code oauth2Login()} and {@code oauth2Client()} of the application's own
	 * registrations away from {@code /oauth2/authorization/xref}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ClientRegistrationRepository.class)
	static class ApplicationRegistrationsConfiguration {

		@Bean
		@ConditionalOnMissingBean(OAuth2AuthorizationRequestResolver.class)
		XrefExcludingAuthorizationRequestResolver xrefExcludingAuthorizationRequestResolver(
				ClientRegistrationRepository clientRegistrationRepository) {
			return new XrefExcludingAuthorizationRequestResolver(
					new DefaultOAuth2AuthorizationRequestResolver(clientRegistrationRepository,
							DefaultOAuth2AuthorizationRequestResolver.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI));
		}

	}

}
