package io.github.xrefoauth.flow;

import java.util.Map;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefConnectionService;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * A platform with two tenants: alice and bob belong to "acme", carol to "globex".
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(FlowTestApplication.PlatformController.class)
class FlowTestApplication {

	static final Map<String, String> TENANTS = Map.of("alice", "acme", "bob", "acme", "carol", "globex");

	@Bean
	XrefTenantResolver tenantResolver() {
		return (authentication) -> TENANTS.get(authentication.getName());
	}

	@RestController
	static class PlatformController {

		private final RestClient xrefRestClient;

		private final XrefConnectionService connections;

		PlatformController(@Qualifier("xrefRestClient") RestClient xrefRestClient, XrefConnectionService connections) {
			this.xrefRestClient = xrefRestClient;
			this.connections = connections;
		}

		@PostMapping("/api/auth")
		String auth() {
			return this.xrefRestClient.post().uri("/auth").retrieve().body(String.class);
		}

		@GetMapping("/api/connection")
		String connection() {
			return this.connections.current().map((connection) -> connection.xrefAccountId()).orElse("none");
		}

		@PostMapping("/api/disconnect")
		String disconnect() {
			this.connections.disconnect();
			return "disconnected";
		}

		@ExceptionHandler(XrefNotConnectedException.class)
		ResponseEntity<String> notConnected() {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("not connected");
		}

		@ExceptionHandler(HttpClientErrorException.Unauthorized.class)
		ResponseEntity<String> rejected() {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("xref rejected the token");
		}

	}

}
