package io.github.xrefoauth.scenario;

import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.flow.FaultyStore;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The scenario platform on Spring MVC: form login, the end users and tenants of
 * {@link Stack#TENANTS}, a store that can be made to fail, and two pages, one showing the
 * tenant's connection and one calling Xref. Only the starter handles a tenant without
 * connection.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ ServletPlatform.PlatformController.class, RecordedEvents.class })
class ServletPlatform {

	@Bean
	XrefTenantResolver tenantResolver() {
		return (authentication) -> Stack.TENANTS.get(authentication.getName());
	}

	@Bean
	FaultyStore faultyStore() {
		return new FaultyStore();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(Stack.USERS.stream()
			.map((name) -> User.withUsername(name).password("{noop}" + Browser.PASSWORD).roles("USER").build())
			.toList());
	}

	/**
	 * Everything needs a login but the callback, so that a callback without a login
	 * reaches the starter.
	 */
	@Bean
	SecurityFilterChain platformSecurity(HttpSecurity http) {
		return http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers(Stack.CALLBACK_PATH).permitAll().anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}

	@RestController
	static class PlatformController {

		private final RestClient xrefRestClient;

		private final XrefConnectionService connections;

		PlatformController(@Qualifier("xrefRestClient") RestClient xrefRestClient, XrefConnectionService connections) {
			this.xrefRestClient = xrefRestClient;
			this.connections = connections;
		}

		@GetMapping("/api/connection")
		String connection() {
			return this.connections.current().map((connection) -> connection.xrefAccountId()).orElse("none");
		}

		@GetMapping("/api/auth")
		String auth() {
			return this.xrefRestClient.post().uri("/auth").retrieve().body(String.class);
		}

		@GetMapping("/api/verify")
		String verify() {
			return this.connections.verify().name();
		}

		@GetMapping("/api/status")
		String status() {
			XrefConnectionStatus status = this.connections.status();
			return status.state() + " " + status.rejectedBy() + " " + status.xrefAccountId();
		}

	}

}
