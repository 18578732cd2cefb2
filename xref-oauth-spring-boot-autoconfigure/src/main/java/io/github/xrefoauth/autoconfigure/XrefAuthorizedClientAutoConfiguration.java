package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import io.github.xrefoauth.connect.XrefClientRegistrations;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;

/**
 * {@link AutoConfiguration Auto-configuration} of Spring Security's authorized clients
 * for Xref in a servlet application: {@link XrefAuthorizedClients} and, when the
 * application has OAuth 2 client registrations of its own, the
 * {@link OAuth2AuthorizedClientService} and {@link OAuth2AuthorizedClientRepository} that
 * Spring Boot would make for them, with {@code xref} scoped to the Xref account. It runs
 * before Spring Boot's OAuth 2 client auto-configuration, whose beans then back off. The
 * {@code OAuth2AuthorizedClientManager}, and without registrations of the application's
 * own the service and repository, follow in {@link XrefWebSecurityAutoConfiguration},
 * after Spring Boot's OAuth 2 client auto-configurations; excluding this
 * auto-configuration leaves them out as well.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class,
		beforeName = XrefAuthorizedClientConfigurations.BOOT_OAUTH2_CLIENT_AUTO_CONFIGURATION)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ OAuth2AuthorizedClientRepository.class, XrefAccountStore.class })
@ConditionalOnBean(XrefOAuthProperties.class)
@Import(XrefAuthorizedClientConfigurations.ApplicationRegistrationsConfiguration.class)
public final class XrefAuthorizedClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	XrefAuthorizedClients xrefAuthorizedClients(
			@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration,
			XrefAccountStore accountStore, XrefTenantContext tenantContext) {
		return new XrefAuthorizedClients(registration, accountStore, tenantContext);
	}

}
