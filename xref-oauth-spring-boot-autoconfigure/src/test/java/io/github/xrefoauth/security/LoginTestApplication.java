package io.github.xrefoauth.security;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * An application that leaves its security filter chain to Spring Boot and has one user,
 * alice / password.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class LoginTestApplication {

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}password").roles("USER").build());
	}

}
