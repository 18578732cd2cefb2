package io.github.xrefoauth.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * {@link AutoConfiguration Auto-configuration} that keeps Spring Boot's development user
 * ({@code spring.security.user.*}, by default "user" with a generated password). Boot
 * leaves that user out as soon as Spring Security's OAuth 2 client is on the classpath,
 * which this starter brings; the application has not chosen OAuth 2 login, so its login
 * stays as it was. Backs off like Boot does: for any user store or authentication of the
 * application's own, and for OAuth 2 login registrations.
 */
@AutoConfiguration(after = UserDetailsServiceAutoConfiguration.class,
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnClass({ AuthenticationManager.class, ClientRegistrationRepository.class, SecurityProperties.class })
@ConditionalOnMissingClass({
		"org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector",
		"org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistrationRepository" })
@ConditionalOnMissingBean(
		value = { AuthenticationManager.class, AuthenticationProvider.class, UserDetailsService.class,
				AuthenticationManagerResolver.class, ClientRegistrationRepository.class },
		type = "org.springframework.security.oauth2.jwt.JwtDecoder")
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(SecurityProperties.class)
public final class XrefDevelopmentUserAutoConfiguration {

	@Bean
	InMemoryUserDetailsManager inMemoryUserDetailsManager(SecurityProperties properties,
			ObjectProvider<PasswordEncoder> passwordEncoder) {
		return new InMemoryUserDetailsManager(XrefDevelopmentUser.of(properties, passwordEncoder));
	}

}
