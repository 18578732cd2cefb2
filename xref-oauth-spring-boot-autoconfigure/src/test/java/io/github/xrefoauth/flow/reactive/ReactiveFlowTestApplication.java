package io.github.xrefoauth.flow.reactive;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.token.XrefTokenClient;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * A WebFlux platform with HTTP Basic login and two tenants: alice and bob belong to
 * "acme", carol to "globex"; dave (acme) may not connect; mallory has no tenant. The
 * blocking store, token client and data source are wrapped so that a call on an
 * event-loop thread is recorded.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReactiveFlowTestApplication.PlatformController.class)
public class ReactiveFlowTestApplication {

	public static final String PASSWORD = "password";

	static final Map<String, String> TENANTS = Map.of("alice", "acme", "bob", "acme", "carol", "globex", "dave",
			"acme");

	@Bean
	XrefTenantResolver tenantResolver() {
		return (authentication) -> TENANTS.get(authentication.getName());
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(user("alice", "USER"), user("bob", "USER"), user("carol", "USER"),
				user("mallory", "USER"), user("dave", "VIEWER"));
	}

	private static org.springframework.security.core.userdetails.UserDetails user(String name, String role) {
		return User.withUsername(name).password("{noop}" + PASSWORD).roles(role).build();
	}

	/**
	 * The platform's own rules: only USERs may connect. The starter adds its filters to
	 * this chain through its customizer.
	 */
	@Bean
	SecurityWebFilterChain platformSecurity(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/oauth2/authorization/xref")
				.hasRole("USER")
				.anyExchange()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	@Bean
	static BeanPostProcessor eventLoopGuardPostProcessor() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof XrefAccountStore store) {
					return EventLoopGuard.wrap(store);
				}
				if (bean instanceof XrefTokenClient tokenClient) {
					return EventLoopGuard.wrap(tokenClient);
				}
				if (bean instanceof DataSource dataSource) {
					return EventLoopGuard.wrap(dataSource);
				}
				return bean;
			}
		};
	}

	@RestController
	static class PlatformController {

		/** The connection events published so far. */
		static final List<XrefConnectionEvent> events = new CopyOnWriteArrayList<>();

		private final WebClient xrefWebClient;

		private final ReactiveXrefConnectionService connections;

		PlatformController(@Qualifier("xrefWebClient") WebClient xrefWebClient,
				ReactiveXrefConnectionService connections) {
			this.xrefWebClient = xrefWebClient;
			this.connections = connections;
		}

		@PostMapping("/api/auth")
		Mono<String> auth() {
			return this.xrefWebClient.post().uri("/auth").retrieve().bodyToMono(String.class);
		}

		@GetMapping("/api/connection")
		Mono<String> connection() {
			return this.connections.current().map((connection) -> connection.xrefAccountId()).defaultIfEmpty("none");
		}

		@PostMapping("/api/verify")
		Mono<String> verify() {
			return this.connections.verify().map(String::valueOf);
		}

		@PostMapping("/api/disconnect")
		Mono<String> disconnect() {
			return this.connections.disconnect().thenReturn("disconnected");
		}

		@PostMapping("/api/forget")
		Mono<String> forget() {
			return this.connections.forget().thenReturn("forgotten");
		}

		@EventListener
		void record(XrefConnectionEvent event) {
			events.add(event);
		}

		@ExceptionHandler(XrefNotConnectedException.class)
		ResponseEntity<String> notConnected() {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("not connected");
		}

		@ExceptionHandler(WebClientResponseException.Unauthorized.class)
		ResponseEntity<String> rejected() {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("xref rejected the token");
		}

		@ExceptionHandler(XrefApiException.class)
		ResponseEntity<String> unexpected() {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("unexpected answer");
		}

	}

}
