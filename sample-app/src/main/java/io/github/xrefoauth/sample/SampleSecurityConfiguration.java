package io.github.xrefoauth.sample;

import java.util.ArrayList;
import java.util.List;

import io.github.xrefoauth.account.XrefTenantResolver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Form login for the demo's end users. The Xref starter adds its connect and callback
 * filters to this chain by itself.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	/** The password of every demo end user. */
	static final String DEMO_PASSWORD = "password";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.logout(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		List<UserDetails> users = new ArrayList<>();
		for (String username : SampleTenants.users()) {
			// Demo only: a plain-text password that the README publishes.
			users.add(User.withUsername(username).password("{noop}" + DEMO_PASSWORD).roles("USER").build());
		}
		return new InMemoryUserDetailsManager(users);
	}

	@Bean
	XrefTenantResolver xrefTenantResolver() {
		return (authentication) -> SampleTenants.tenantOf(authentication.getName())
			.orElseThrow(() -> new IllegalStateException("No tenant for user " + authentication.getName()));
	}

}
