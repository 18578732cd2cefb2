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
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;

/**
 * {@link AutoConfiguration Auto-configuration} that keeps Spring Boot's development user
 * in a WebFlux application: the reactive counterpart of
 * {@link XrefDevelopmentUserAutoConfiguration}. Backs off like Boot does: for any user
 * store or authentication of the application's own, and for OAuth 2 login registrations.
 */
@AutoConfiguration(after = ReactiveUserDetailsServiceAutoConfiguration.class,
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration")
@ConditionalOnClass({ ReactiveAuthenticationManager.class, ReactiveClientRegistrationRepository.class,
		SecurityProperties.class })
@ConditionalOnMissingClass({
		"org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector",
		"org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistrationRepository" })
@ConditionalOnMissingBean(
		value = { ReactiveAuthenticationManager.class, ReactiveUserDetailsService.class,
				ReactiveAuthenticationManagerResolver.class, ReactiveClientRegistrationRepository.class },
		type = "org.springframework.security.oauth2.jwt.ReactiveJwtDecoder")
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@EnableConfigurationProperties(SecurityProperties.class)
public final class XrefReactiveDevelopmentUserAutoConfiguration {

	@Bean
	MapReactiveUserDetailsService reactiveUserDetailsService(SecurityProperties properties,
			ObjectProvider<PasswordEncoder> passwordEncoder) {
		return new MapReactiveUserDetailsService(XrefDevelopmentUser.of(properties, passwordEncoder));
	}

}
