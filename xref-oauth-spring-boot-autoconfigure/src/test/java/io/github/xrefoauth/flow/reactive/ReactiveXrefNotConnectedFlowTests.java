package io.github.xrefoauth.flow.reactive;

import io.github.xrefoauth.client.XrefBusyException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real Netty server, a controller that calls Xref through {@code xrefWebClient} for
 * carol, whose tenant has no connection, and does not handle
 * {@code XrefNotConnectedException}: no 500. The requests name
 * {@code Host: evil.example}. The same scenarios as {@code XrefNotConnectedFlowTests} and
 * {@code XrefNotConnectedHostTests} on the servlet stack.
 */
class ReactiveXrefNotConnectedFlowTests {

	static final String EVIL_HOST = "evil.example";

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		ReactiveBrowser.register(registry);
	}

	@Nested
	@SpringBootTest(classes = { ReactiveFlowTestApplication.class, ReportController.class },
			webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
	class Enabled {

		@LocalServerPort
		int port;

		@Test
		void apiClientGetsAConflictProblemDetailWithARelativeConnectLink() {
			EntityExchangeResult<String> result = send(this.port, HttpMethod.GET, "/report",
					MediaType.APPLICATION_JSON);

			assertThat(result.getStatus().value()).isEqualTo(409);
			assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			JsonNode problem = JsonMapper.shared().readTree(result.getResponseBody());
			assertThat(problem.get("type").asString()).isEqualTo("about:blank");
			assertThat(problem.get("title").asString()).isEqualTo("Conflict");
			assertThat(problem.get("status").asInt()).isEqualTo(409);
			assertThat(problem.get("detail").asString())
				.isEqualTo("No Xref account is connected for this end user's tenant.");
			assertThat(problem.get("connectUri").asString()).isEqualTo("/oauth2/authorization/xref");
			assertThat(result.getResponseBody()).doesNotContain(EVIL_HOST, "globex");
		}

		@Test
		void browserIsRedirectedToConnectWithAPathThatTakesNothingFromTheHostHeader() {
			EntityExchangeResult<String> result = send(this.port, HttpMethod.GET, "/report", MediaType.TEXT_HTML);

			assertThat(result.getStatus().value()).isEqualTo(302);
			assertThat(result.getResponseHeaders().getFirst(HttpHeaders.LOCATION))
				.isEqualTo("/oauth2/authorization/xref");
		}

		@Test
		void callBeyondTheCallBoundIsServiceUnavailable() {
			assertThat(send(this.port, HttpMethod.GET, "/busy", MediaType.APPLICATION_JSON).getStatus().value())
				.isEqualTo(503);
			assertThat(send(this.port, HttpMethod.GET, "/busy", MediaType.TEXT_HTML).getStatus().value())
				.isEqualTo(503);
		}

		@Test
		void theApplicationsOwnExceptionHandlerStillWins() {
			EntityExchangeResult<String> result = send(this.port, HttpMethod.POST, "/api/auth", MediaType.TEXT_HTML);

			assertThat(result.getStatus().value()).isEqualTo(409);
			assertThat(result.getResponseBody()).isEqualTo("not connected");
		}

		@Test
		void otherFailuresAreLeftAlone() {
			assertThat(send(this.port, HttpMethod.GET, "/broken", MediaType.TEXT_HTML).getStatus().value())
				.isEqualTo(500);
		}

	}

	@Nested
	@SpringBootTest(classes = { ReactiveFlowTestApplication.class, ReportController.class },
			webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.main.web-application-type=reactive",
					"xref.oauth.not-connected-handling.enabled=false" })
	class Disabled {

		@LocalServerPort
		int port;

		@Test
		void theExceptionReachesTheErrorHandlingAsWithoutTheStarter() {
			assertThat(send(this.port, HttpMethod.GET, "/report", MediaType.APPLICATION_JSON).getStatus().value())
				.isEqualTo(500);
			assertThat(
					send(this.port, HttpMethod.GET, "/report", MediaType.TEXT_HTML).getResponseHeaders().getLocation())
				.isNull();
		}

	}

	static EntityExchangeResult<String> send(int port, HttpMethod method, String path, MediaType accept) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.build()
			.method(method)
			.uri(path)
			.header(HttpHeaders.HOST, EVIL_HOST)
			.accept(accept)
			.headers((headers) -> headers.setBasicAuth("carol", ReactiveFlowTestApplication.PASSWORD))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@RestController
	static class ReportController {

		private final WebClient xrefWebClient;

		ReportController(@Qualifier("xrefWebClient") WebClient xrefWebClient) {
			this.xrefWebClient = xrefWebClient;
		}

		@GetMapping("/report")
		Mono<String> report() {
			return this.xrefWebClient.post().uri("/auth").retrieve().bodyToMono(String.class);
		}

		/**
		 * What a call through xrefWebClient beyond xref.oauth.max-concurrent-calls fails
		 * with.
		 */
		@GetMapping("/busy")
		Mono<String> busy() {
			return Mono.error(new XrefBusyException(2));
		}

		@GetMapping("/broken")
		Mono<String> broken() {
			return Mono.error(new IllegalStateException("not about Xref"));
		}

	}

}
