package io.github.xrefoauth.autoconfigure;

import java.util.function.Consumer;

import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;

/**
 * {@link AutoConfiguration Auto-configuration} of the
 * {@link OAuth2AuthorizedClientManager} that {@code @RegisteredOAuth2AuthorizedClient}
 * and the application use: {@code xref} is scoped to the Xref account, every other
 * registration goes to the manager Spring Security would make. Without OAuth 2 client
 * registrations of the application's own, it also adds an
 * {@link OAuth2AuthorizedClientService} and {@link OAuth2AuthorizedClientRepository}. It
 * runs after Spring Boot's OAuth 2 client auto-configurations, so that these beans do not
 * make Spring Boot switch the application to {@code oauth2Login()}; it adds no
 * {@link ClientRegistrationRepository}.
 */
@AutoConfiguration(after = XrefAuthorizedClientServiceAutoConfiguration.class,
		afterName = { XrefAuthorizedClientConfigurations.BOOT_OAUTH2_CLIENT_AUTO_CONFIGURATION,
				XrefAuthorizedClientConfigurations.BOOT_OAUTH2_CLIENT_WEB_SECURITY_AUTO_CONFIGURATION })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefAuthorizedClients.class)
public final class XrefAuthorizedClientManagerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(OAuth2AuthorizedClientManager.class)
	XrefOAuth2AuthorizedClientManager xrefAuthorizedClientManager(XrefAuthorizedClients xrefClients,
			ObjectProvider<ClientRegistrationRepository> registrations,
			ObjectProvider<OAuth2AuthorizedClientRepository> authorizedClientRepository,
			ObjectProvider<OAuth2AuthorizedClientProvider> providers, ApplicationEventPublisher eventPublisher,
			ObjectProvider<Consumer<DefaultOAuth2AuthorizedClientManager>> managerCustomizer) {
		ClientRegistrationRepository applicationRegistrations = registrations.getIfUnique();
		OAuth2AuthorizedClientManager applicationManager = (applicationRegistrations != null)
				? XrefAuthorizedClientConfigurations.applicationManager(applicationRegistrations,
						authorizedClientRepository.getObject(), providers, eventPublisher, managerCustomizer)
				: null;
		return new XrefOAuth2AuthorizedClientManager(xrefClients, applicationManager);
	}

	/**
	 * Without registrations of the application's own: registered after Spring Boot's
	 * conditions have been evaluated, these beans do not switch on its OAuth 2 login.
	 */
	@Configuration(proxyBeanMethods = false)
	static class WithoutApplicationRegistrationsConfiguration
			extends XrefAuthorizedClientConfigurations.ServiceAndRepositoryConfiguration {

	}

}
