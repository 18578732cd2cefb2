package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.internal.XrefEventPublisher;
import io.github.xrefoauth.web.DefaultXrefNotConnectedHandler;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefCallbackHandler;
import io.github.xrefoauth.web.XrefConfigurer;
import io.github.xrefoauth.web.XrefExcludingAuthorizationRequestResolver;
import io.github.xrefoauth.web.XrefNotConnectedHandler;
import io.github.xrefoauth.webhook.XrefWebhookReceiver;
import io.github.xrefoauth.webhook.XrefWebhookStatistics;
import io.github.xrefoauth.webhook.XrefWebhookVerifier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * {@link AutoConfiguration Auto-configuration} of the starter in a servlet application
 * with Spring Security: the pending authorization requests, the callback handler with the
 * connect manager it hands the code to, and an {@code HttpSecurity} customizer that
 * applies {@link XrefConfigurer}; the handling of requests whose tenant is not connected;
 * the receiver of Xref's webhooks when {@code xref.oauth.webhook.path} is set; Spring
 * Boot's development user, kept; and the {@code OAuth2AuthorizedClientManager} that
 * {@link XrefAuthorizedClientAutoConfiguration} prepares for. It runs after Spring Boot's
 * user and OAuth 2 client auto-configurations.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { XrefOAuthAutoConfiguration.class, XrefAuthorizedClientAutoConfiguration.class },
		afterName = { "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
				XrefAuthorizedClientConfigurations.BOOT_OAUTH2_CLIENT_AUTO_CONFIGURATION,
				XrefAuthorizedClientConfigurations.BOOT_OAUTH2_CLIENT_WEB_SECURITY_AUTO_CONFIGURATION })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(EnableWebSecurity.class)
@ConditionalOnBean(XrefOAuthProperties.class)
@Import({ XrefConnectManagerConfiguration.class, XrefDevelopmentUserConfigurations.ServletConfiguration.class,
		XrefAuthorizedClientConfigurations.ManagerConfiguration.class })
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
		XrefCallbackHandler handler = new XrefCallbackHandler(
				XrefOAuthSettings.servletCallbackPath(properties, environment), authorizationRequestRepository,
				tenantContext, completion);
		handler.setRedirects(new XrefConnectRedirects(properties.getSuccessUrl(), properties.getFailureUrl()));
		return handler;
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

	/**
	 * The {@link XrefNotConnectedHandler} that {@code XrefConfigurer} puts in every
	 * filter chain: a request that fails because the tenant has no Xref connection sends
	 * a browser to connect, and gets a problem detail otherwise, instead of a 500. Off
	 * with {@code xref.oauth.not-connected-handling.enabled=false}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "xref.oauth.not-connected-handling.enabled", matchIfMissing = true)
	static class NotConnectedConfiguration {

		/**
		 * The application's rules are read when a request needs them: Spring Security's
		 * evaluator depends on the filter chains that this handler is part of.
		 */
		@Bean
		@ConditionalOnMissingBean(XrefNotConnectedHandler.class)
		DefaultXrefNotConnectedHandler xrefNotConnectedHandler(
				ObjectProvider<WebInvocationPrivilegeEvaluator> privilegeEvaluator,
				ObjectProvider<SecurityContextHolderStrategy> securityContextHolderStrategy) {
			DefaultXrefNotConnectedHandler handler = new DefaultXrefNotConnectedHandler(
					privilegeEvaluator::getIfUnique);
			securityContextHolderStrategy.ifUnique(handler::setSecurityContextHolderStrategy);
			return handler;
		}

	}

	/**
	 * The receiver of Xref's webhooks when {@code xref.oauth.webhook.path} is set.
	 * {@code XrefConfigurer} puts it in every filter chain it is applied to, before the
	 * CSRF filter.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "xref.oauth.webhook.path")
	@EnableConfigurationProperties(XrefWebhookProperties.class)
	static class WebhookConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefWebhookVerifier xrefWebhookVerifier() {
			return XrefWebhookVerifier.unverified();
		}

		@Bean
		@ConditionalOnMissingBean
		XrefWebhookStatistics xrefWebhookStatistics() {
			return new XrefWebhookStatistics();
		}

		@Bean
		@ConditionalOnMissingBean
		XrefWebhookReceiver xrefWebhookReceiver(XrefWebhookProperties webhook, XrefOAuthProperties properties,
				Environment environment, XrefWebhookVerifier verifier, XrefWebhookStatistics statistics,
				ApplicationEventPublisher eventPublisher) {
			String path = String.valueOf(webhook.getPath());
			if (path.equals(XrefOAuthSettings.servletCallbackPath(properties, environment))) {
				throw new InvalidXrefPropertyException("xref.oauth.webhook.path", path,
						"is the callback path of xref.oauth.redirect-uri");
			}
			XrefWebhookReceiver receiver = new XrefWebhookReceiver(path, (int) webhook.getMaxBodySize().toBytes(),
					verifier, statistics);
			receiver.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			return receiver;
		}

	}

}
