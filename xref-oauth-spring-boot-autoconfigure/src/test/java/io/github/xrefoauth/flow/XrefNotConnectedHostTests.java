package io.github.xrefoauth.flow;

import io.github.xrefoauth.client.XrefBusyException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real Tomcat, a request of carol, whose tenant has no connection, with
 * {@code Host: evil.example}: an API client gets a 409 problem detail with a relative
 * connect link, a browser a redirect whose {@code Location} is a path; a call beyond the
 * call bound is a 503. {@code ReactiveXrefNotConnectedFlowTests} runs the same on
 * WebFlux.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefNotConnectedHostTests.Platform.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class XrefNotConnectedHostTests {

	static final String EVIL_HOST = "evil.example";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@Test
	void apiClientGetsAConflictProblemDetailWithARelativeConnectLink() {
		EntityExchangeResult<String> result = get("/report", MediaType.APPLICATION_JSON);

		assertThat(result.getStatus().value()).isEqualTo(409);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = JsonMapper.shared().readTree(result.getResponseBody());
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("title").asString()).isEqualTo("Conflict");
		assertThat(problem.get("connectUri").asString()).isEqualTo("/oauth2/authorization/xref");
		assertThat(result.getResponseBody()).doesNotContain(EVIL_HOST, "globex");
	}

	@Test
	void browserIsRedirectedToConnectWithAPathThatTakesNothingFromTheHostHeader() {
		EntityExchangeResult<String> result = get("/report", MediaType.TEXT_HTML);

		assertThat(result.getStatus().value()).isEqualTo(302);
		assertThat(result.getResponseHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("/oauth2/authorization/xref");
	}

	@Test
	void callBeyondTheCallBoundIsServiceUnavailable() {
		assertThat(get("/busy", MediaType.APPLICATION_JSON).getStatus().value()).isEqualTo(503);
		assertThat(get("/busy", MediaType.TEXT_HTML).getStatus().value()).isEqualTo(503);
	}

	private EntityExchangeResult<String> get(String path, MediaType accept) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.get()
			.uri(path)
			.header(HttpHeaders.HOST, EVIL_HOST)
			.accept(accept)
			.headers((headers) -> headers.setBasicAuth("carol", "pw"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Platform {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("carol").password("{noop}pw").build());
		}

		@Bean
		ReportController reportController(@Qualifier("xrefRestClient") RestClient xrefRestClient) {
			return new ReportController(xrefRestClient);
		}

	}

	@RestController
	static class ReportController {

		private final RestClient xrefRestClient;

		ReportController(RestClient xrefRestClient) {
			this.xrefRestClient = xrefRestClient;
		}

		@GetMapping("/report")
		String report() {
			return this.xrefRestClient.post().uri("/auth").retrieve().body(String.class);
		}

		/**
		 * What a call through xrefRestClient beyond xref.oauth.max-concurrent-calls
		 * throws.
		 */
		@GetMapping("/busy")
		String busy() {
			throw new XrefBusyException(2);
		}

	}

}
