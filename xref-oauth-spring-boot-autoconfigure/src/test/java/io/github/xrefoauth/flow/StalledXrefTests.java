package io.github.xrefoauth.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefRequestAttributes;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Xref stops answering while more requests call it than the server has threads: the calls
 * beyond {@code xref.oauth.max-concurrent-calls} fail at once with {@code 503}, and a
 * page that does not call Xref still answers, on a real Tomcat with 10 request threads.
 */
@SpringBootTest(classes = StalledXrefTests.Platform.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=http://localhost/integrations/xref", "xref.oauth.max-concurrent-calls=4",
				"xref.oauth.read-timeout=60s", "server.tomcat.threads.max=10" })
class StalledXrefTests {

	private static final int CALLS = 30;

	private static final CountDownLatch xrefAnswers = new CountDownLatch(1);

	private static final CountDownLatch stalledCalls = new CountDownLatch(4);

	private static final AtomicInteger callsReachingXref = new AtomicInteger();

	private static final MockWebServer xref = stalledXref();

	@LocalServerPort
	int port;

	@Autowired
	XrefAccountStore store;

	private final HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.api-uri", () -> "http://localhost:" + xref.getPort());
	}

	@AfterAll
	static void stopXref() {
		xrefAnswers.countDown();
		xref.close();
	}

	@Test
	void pagesThatDoNotCallXrefAnswerWhileXrefStalls() throws Exception {
		this.store.save("acme", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
		List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, CALLS)
			.mapToObj((i) -> this.browser.sendAsync(get("/call-xref", Duration.ofSeconds(90)), BodyHandlers.ofString()))
			.toList();
		assertThat(stalledCalls.await(30, TimeUnit.SECONDS)).isTrue();

		HttpResponse<String> ping = this.browser.send(get("/ping", Duration.ofSeconds(10)), BodyHandlers.ofString());
		assertThat(ping.statusCode()).isEqualTo(200);
		assertThat(ping.body()).isEqualTo("pong");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> calls.stream().filter(CompletableFuture::isDone).count() >= CALLS - 4);
		List<CompletableFuture<HttpResponse<String>>> refused = calls.stream()
			.filter(CompletableFuture::isDone)
			.toList();
		assertThat(refused).hasSize(CALLS - 4)
			.allSatisfy((call) -> assertThat(call.join().statusCode()).isEqualTo(503));
		assertThat(callsReachingXref).hasValue(4);

		xrefAnswers.countDown();
		assertThat(calls).allSatisfy((call) -> assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isIn(200, 503));
		assertThat(calls.stream().filter((call) -> call.join().statusCode() == 200)).hasSize(4);
	}

	private HttpRequest get(String path, Duration timeout) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(timeout).build();
	}

	private static MockWebServer stalledXref() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				callsReachingXref.incrementAndGet();
				stalledCalls.countDown();
				xrefAnswers.await(60, TimeUnit.SECONDS);
				return new MockResponse.Builder().body("{}").build();
			}

		});
		try {
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return server;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Platform.PlatformController.class)
	static class Platform {

		@Bean
		SecurityFilterChain openPages(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@RestController
		static class PlatformController {

			private final RestClient xrefRestClient;

			PlatformController(@Qualifier("xrefRestClient") RestClient xrefRestClient) {
				this.xrefRestClient = xrefRestClient;
			}

			@GetMapping("/call-xref")
			String callXref() {
				this.xrefRestClient.post()
					.uri("/auth")
					.attributes(XrefRequestAttributes.account("acct-1"))
					.retrieve()
					.toBodilessEntity();
				return "answered";
			}

			@GetMapping("/ping")
			String ping() {
				return "pong";
			}

		}

	}

}
