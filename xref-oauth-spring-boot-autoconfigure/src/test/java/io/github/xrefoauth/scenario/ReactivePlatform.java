package io.github.xrefoauth.scenario;

import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.flow.FaultyStore;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The scenario platform on Spring WebFlux, alike {@link ServletPlatform} in all it
 * offers: form login, the end users and tenants of {@link Stack#TENANTS}, a store that
 * can be made to fail, and the same two pages.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ ReactivePlatform.PlatformController.class, RecordedEvents.class })
class ReactivePlatform {

	@Bean
	XrefTenantResolver tenantResolver() {
		return (authentication) -> Stack.TENANTS.get(authentication.getName());
	}

	@Bean
	FaultyStore faultyStore() {
		return new FaultyStore();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(Stack.USERS.stream()
			.map((name) -> User.withUsername(name).password("{noop}" + Browser.PASSWORD).roles("USER").build())
			.toList());
	}

	/**
	 * Everything needs a login but the callback, so that a callback without a login
	 * reaches the starter.
	 */
	@Bean
	SecurityWebFilterChain platformSecurity(ServerHttpSecurity http) {
		return http.authorizeExchange(
				(exchanges) -> exchanges.pathMatchers(Stack.CALLBACK_PATH).permitAll().anyExchange().authenticated())
			.formLogin(Customizer.withDefaults())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	@RestController
	static class PlatformController {

		private final WebClient xrefWebClient;

		private final ReactiveXrefConnectionService connections;

		PlatformController(@Qualifier("xrefWebClient") WebClient xrefWebClient,
				ReactiveXrefConnectionService connections) {
			this.xrefWebClient = xrefWebClient;
			this.connections = connections;
		}

		@GetMapping("/api/connection")
		Mono<String> connection() {
			return this.connections.current().map((connection) -> connection.xrefAccountId()).defaultIfEmpty("none");
		}

		@GetMapping("/api/auth")
		Mono<String> auth() {
			return this.xrefWebClient.post().uri("/auth").retrieve().bodyToMono(String.class);
		}

		@GetMapping("/api/verify")
		Mono<String> verify() {
			return this.connections.verify().map(Enum::name);
		}

		@GetMapping("/api/status")
		Mono<String> status() {
			return this.connections.status()
				.map((status) -> status.state() + " " + status.rejectedBy() + " " + status.xrefAccountId());
		}

	}

}
