package io.github.xrefoauth.flow;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.autoconfigure.XrefOAuthAutoConfiguration;
import io.github.xrefoauth.autoconfigure.XrefClientAutoConfiguration;
import io.github.xrefoauth.client.XrefBusyException;
import io.github.xrefoauth.client.XrefRequestAttributes;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Xref stops answering: calls through {@code xrefWebClient} beyond
 * {@code xref.oauth.max-concurrent-calls} fail at once with {@link XrefBusyException},
 * nothing sent, as calls through {@code xrefRestClient} do, and both clients count
 * against one bound.
 */
class XrefWebClientBoundTests {

	private static final String BUSY = "Xref is busy: 2 calls to Xref are in progress "
			+ "(xref.oauth.max-concurrent-calls); nothing was sent";

	private static final String[] PROPERTIES = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref", "xref.oauth.max-concurrent-calls=2",
			"xref.oauth.read-timeout=30s" };

	private final CountDownLatch arrived = new CountDownLatch(2);

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger received = new AtomicInteger();

	private final MockWebServer xref = new MockWebServer();

	@BeforeEach
	void startStalledXref() throws IOException {
		this.xref.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				XrefWebClientBoundTests.this.received.incrementAndGet();
				XrefWebClientBoundTests.this.arrived.countDown();
				XrefWebClientBoundTests.this.release.await(20, TimeUnit.SECONDS);
				return new MockResponse.Builder().addHeader("Content-Type", "application/json").body("{}").build();
			}

		});
		this.xref.start();
	}

	@AfterEach
	void stopXref() {
		this.release.countDown();
		this.xref.close();
	}

	@Test
	void inAReactiveApplicationCallsBeyondTheBoundFailAtOnceWithoutReachingXref() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
			.withPropertyValues(PROPERTIES)
			.withPropertyValues(apiUri())
			.run((context) -> {
				WebClient webClient = webClient(context);
				CompletableFuture<Integer> first = call(webClient).toFuture();
				CompletableFuture<Integer> second = call(webClient).toFuture();
				assertThat(this.arrived.await(10, TimeUnit.SECONDS)).isTrue();

				assertThatExceptionOfType(XrefBusyException.class)
					.isThrownBy(() -> call(webClient).block(Duration.ofSeconds(10)))
					.withMessage(BUSY);
				assertThat(this.received).hasValue(2);

				this.release.countDown();
				assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(200);
				assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(200);
				assertThat(call(webClient).block(Duration.ofSeconds(10))).isEqualTo(200);
				assertThat(this.received).hasValue(3);
			});
	}

	@Test
	void xrefRestClientAndXrefWebClientCountAgainstOneBound() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
			.withPropertyValues(PROPERTIES)
			.withPropertyValues(apiUri())
			.run((context) -> {
				WebClient webClient = webClient(context);
				RestClient restClient = context.getBean("xrefRestClient", RestClient.class);
				CompletableFuture<Integer> throughRestClient = CompletableFuture.supplyAsync(() -> call(restClient));
				CompletableFuture<Integer> throughWebClient = call(webClient).toFuture();
				assertThat(this.arrived.await(10, TimeUnit.SECONDS)).isTrue();

				assertThatExceptionOfType(XrefBusyException.class)
					.isThrownBy(() -> call(webClient).block(Duration.ofSeconds(10)))
					.withMessage(BUSY);
				assertThatExceptionOfType(XrefBusyException.class).isThrownBy(() -> call(restClient)).withMessage(BUSY);
				assertThat(this.received).hasValue(2);

				this.release.countDown();
				assertThat(throughRestClient.get(10, TimeUnit.SECONDS)).isEqualTo(200);
				assertThat(throughWebClient.get(10, TimeUnit.SECONDS)).isEqualTo(200);
			});
	}

	private String apiUri() {
		return "xref.oauth.api-uri=http://localhost:" + this.xref.getPort();
	}

	private static WebClient webClient(ApplicationContext context) {
		context.getBean(XrefAccountStore.class)
			.save("acme", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
		return context.getBean("xrefWebClient", WebClient.class);
	}

	private static Mono<Integer> call(WebClient webClient) {
		return webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-1"))
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

	private static int call(RestClient restClient) {
		return restClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-1"))
			.exchange((request, response) -> response.getStatusCode().value());
	}

}
