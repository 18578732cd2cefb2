package io.github.xrefoauth.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.util.StringUtils;

/**
 * Keeps Spring Boot's development user ({@code spring.security.user.*}, by default "user"
 * with a generated password). Boot leaves that user out as soon as Spring Security's
 * OAuth 2 client is on the classpath, which this starter brings; the application has not
 * chosen OAuth 2 login, so its login stays as it was. Each configuration backs off like
 * Boot does: for any user store or authentication of the application's own, and for OAuth
 * 2 login registrations. Imported by {@link XrefWebSecurityAutoConfiguration} and
 * {@link XrefReactiveWebSecurityAutoConfiguration}, which run after Boot's user and OAuth
 * 2 client auto-configurations.
 */
final class XrefDevelopmentUserConfigurations {

	private static final Log logger = LogFactory.getLog(XrefDevelopmentUserConfigurations.class);

	private XrefDevelopmentUserConfigurations() {
	}

	/**
	 * The development user of a servlet application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ AuthenticationManager.class, ClientRegistrationRepository.class, SecurityProperties.class })
	@ConditionalOnMissingClass({
			"org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector",
			"org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistrationRepository" })
	@ConditionalOnMissingBean(
			value = { AuthenticationManager.class, AuthenticationProvider.class, UserDetailsService.class,
					AuthenticationManagerResolver.class, ClientRegistrationRepository.class },
			type = "org.springframework.security.oauth2.jwt.JwtDecoder")
	@EnableConfigurationProperties(SecurityProperties.class)
	static class ServletConfiguration {

		@Bean
		InMemoryUserDetailsManager inMemoryUserDetailsManager(SecurityProperties properties,
				ObjectProvider<PasswordEncoder> passwordEncoder) {
			return new InMemoryUserDetailsManager(user(properties, passwordEncoder));
		}

	}

	/**
	 * The development user of a WebFlux application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveAuthenticationManager.class, ReactiveClientRegistrationRepository.class,
			SecurityProperties.class })
	@ConditionalOnMissingClass({
			"org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector",
			"org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistrationRepository" })
	@ConditionalOnMissingBean(
			value = { ReactiveAuthenticationManager.class, ReactiveUserDetailsService.class,
					ReactiveAuthenticationManagerResolver.class, ReactiveClientRegistrationRepository.class },
			type = "org.springframework.security.oauth2.jwt.ReactiveJwtDecoder")
	@EnableConfigurationProperties(SecurityProperties.class)
	static class ReactiveConfiguration {

		@Bean
		MapReactiveUserDetailsService reactiveUserDetailsService(SecurityProperties properties,
				ObjectProvider<PasswordEncoder> passwordEncoder) {
			return new MapReactiveUserDetailsService(user(properties, passwordEncoder));
		}

	}

	/**
	 * Returns the user as Spring Boot makes it, logging a generated password as Spring
	 * Boot does.
	 */
	private static UserDetails user(SecurityProperties properties, ObjectProvider<PasswordEncoder> passwordEncoder) {
		SecurityProperties.User user = properties.getUser();
		String password = user.getPassword();
		if (user.isPasswordGenerated()) {
			logger.warn(String.format("%n%nUsing generated security password: %s%n%nThis generated password is for "
					+ "development use only. Your security configuration must be updated before running your "
					+ "application in production.%n", password));
		}
		if (passwordEncoder.getIfAvailable() == null && !password.matches("^\\{.+}.*$")) {
			password = "{noop}" + password;
		}
		return User.withUsername(user.getName())
			.password(password)
			.roles(StringUtils.toStringArray(user.getRoles()))
			.build();
	}

}
