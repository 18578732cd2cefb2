package io.github.xrefoauth.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefBusyException;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.client.internal.XrefHttpTransport;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenException;
import io.github.xrefoauth.token.XrefTokenResponse;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The token exchange and {@code xrefRestClient} follow Boot's HTTP client configuration
 * ({@code spring.http.clients.*}, SSL bundles, the request factory builder and its
 * customizers), with {@code xref.oauth.*-timeout} taking precedence, never follow
 * redirects, and bound the calls in progress.
 * <p>
 * {@code tls/xref-test.crt} and {@code .key} are a self-signed certificate for
 * {@code localhost} and {@code 127.0.0.1}, made for these tests with
 * {@code openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=localhost
 * -addext subjectAltName=DNS:localhost,IP:127.0.0.1}.
 */
class XrefHttpTransportTests {

	private static final String TOKEN_JSON = "{\"access_token\":\"token-1\",\"xref_account_id\":\"acct-1\"}";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
		.withPropertyValues("xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=https://platform.example/integrations/xref",
				"spring.http.clients.imperative.factory=jdk");

	private MockWebServer xref;

	@BeforeEach
	void startXref() throws IOException {
		this.xref = new MockWebServer();
		this.xref.start();
	}

	@AfterEach
	void stopXref() {
		this.xref.close();
	}

	@Test
	void springHttpClientsReadTimeoutReachesBothClients() {
		this.contextRunner.withPropertyValues(apiUri(), "spring.http.clients.read-timeout=300ms").run((context) -> {
			this.xref.enqueue(slow(TOKEN_JSON, 3));
			assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> exchange(context))
				.withRootCauseInstanceOf(HttpTimeoutException.class);
			this.xref.enqueue(slow("{}", 3));
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> callApi(context))
				.withRootCauseInstanceOf(HttpTimeoutException.class);
		});
	}

	@Test
	void xrefReadTimeoutOverridesSpringHttpClients() {
		this.contextRunner
			.withPropertyValues(apiUri(), "spring.http.clients.read-timeout=100ms", "xref.oauth.read-timeout=5s")
			.run((context) -> {
				this.xref.enqueue(
						new MockResponse.Builder().body(TOKEN_JSON).headersDelay(500, TimeUnit.MILLISECONDS).build());
				assertThat(exchange(context).accessToken()).isEqualTo("token-1");
				this.xref
					.enqueue(new MockResponse.Builder().body("{}").headersDelay(500, TimeUnit.MILLISECONDS).build());
				assertThat(callApi(context)).isEqualTo(200);
			});
		this.contextRunner
			.withPropertyValues(apiUri(), "spring.http.clients.read-timeout=10s", "xref.oauth.read-timeout=300ms")
			.run((context) -> {
				this.xref.enqueue(slow(TOKEN_JSON, 3));
				assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> exchange(context))
					.withRootCauseInstanceOf(HttpTimeoutException.class);
			});
	}

	@Test
	void sslBundleLetsBothClientsReachXrefOverHttps() {
		this.xref.useHttps(serverTls().createSslContext().getSocketFactory());
		String https = "xref.oauth.api-uri=https://localhost:" + this.xref.getPort();
		this.contextRunner
			.withPropertyValues(https, "spring.ssl.bundle.pem.xref.truststore.certificate=classpath:tls/xref-test.crt",
					"spring.http.clients.ssl.bundle=xref")
			.run((context) -> {
				this.xref.enqueue(new MockResponse.Builder().body(TOKEN_JSON).build());
				assertThat(exchange(context).xrefAccountId()).isEqualTo("acct-1");
				this.xref.enqueue(new MockResponse.Builder().body("{}").build());
				assertThat(callApi(context)).isEqualTo(200);
				assertThat(this.xref.takeRequest().getHandshake()).isNotNull();
			});
		this.contextRunner.withPropertyValues(https)
			.run((context) -> assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> exchange(context))
				.withStackTraceContaining("PKIX path building failed"));
	}

	@Test
	void proxyOfTheRequestFactoryBuilderReachesBothClients() {
		this.contextRunner.withUserConfiguration(ProxyConfiguration.class)
			.withBean(InetSocketAddress.class, () -> new InetSocketAddress("localhost", this.xref.getPort()))
			.withPropertyValues("xref.oauth.api-uri=http://xref.invalid")
			.run((context) -> {
				this.xref.enqueue(new MockResponse.Builder().body(TOKEN_JSON).build());
				assertThat(exchange(context).accessToken()).isEqualTo("token-1");
				this.xref.enqueue(new MockResponse.Builder().body("{}").build());
				assertThat(callApi(context)).isEqualTo(200);
				assertThat(this.xref.takeRequest().getRequestLine())
					.isEqualTo("POST http://xref.invalid/oauth/tokens HTTP/1.1");
				assertThat(this.xref.takeRequest().getRequestLine())
					.isEqualTo("POST http://xref.invalid/auth HTTP/1.1");
			});
	}

	@Test
	void factoryTypeOfSpringHttpClientsIsUsed() {
		this.contextRunner.withPropertyValues(apiUri(), "spring.http.clients.imperative.factory=simple")
			.run((context) -> {
				this.xref.enqueue(new MockResponse.Builder().body(TOKEN_JSON).build());
				exchange(context);
				// HttpURLConnection, not the JDK's HttpClient ("Java-http-client/...")
				assertThat(this.xref.takeRequest().getHeaders().get("User-Agent")).startsWith("Java/");
			});
	}

	@Test
	void redirectsAreNeverFollowedEvenWhenSpringHttpClientsFollowThem() {
		this.contextRunner.withPropertyValues(apiUri(), "spring.http.clients.redirects=follow").run((context) -> {
			this.xref.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/elsewhere").build());
			assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> exchange(context))
				.withMessageContaining("HTTP 302");
			this.xref.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/elsewhere").build());
			assertThat(callApi(context)).isEqualTo(307);
			assertThat(this.xref.getRequestCount()).isEqualTo(2);
		});
	}

	@Test
	void oneHttpClientIsCreatedOnTheFirstCallAndShared() {
		AtomicInteger built = new AtomicInteger();
		this.contextRunner.withPropertyValues(apiUri())
			.withBean(ClientHttpRequestFactoryBuilder.class, () -> (settings) -> {
				built.incrementAndGet();
				return ClientHttpRequestFactoryBuilder.jdk().build(settings);
			})
			.run((context) -> {
				assertThat(built).hasValue(0);
				this.xref.enqueue(new MockResponse.Builder().body(TOKEN_JSON).build());
				exchange(context);
				this.xref.enqueue(new MockResponse.Builder().body("{}").build());
				callApi(context);
				assertThat(built).hasValue(1);
				assertThat(context).hasSingleBean(XrefHttpTransport.class);
			});
	}

	@Test
	void applicationRestClientCustomizersReachXrefRestClientButNotTheTokenExchange() {
		this.contextRunner.withPropertyValues(apiUri())
			.withBean(RestClientCustomizer.class,
					() -> (builder) -> builder.defaultHeader("X-Application-Customizer", "applied"))
			.run((context) -> {
				this.xref.enqueue(new MockResponse.Builder().body(TOKEN_JSON).build());
				exchange(context);
				this.xref.enqueue(new MockResponse.Builder().body("{}").build());
				callApi(context);
				assertThat(this.xref.takeRequest().getHeaders().get("X-Application-Customizer")).isNull();
				assertThat(this.xref.takeRequest().getHeaders().get("X-Application-Customizer")).isEqualTo("applied");
			});
	}

	@Test
	void callsBeyondTheBoundFailAtOnceWithoutReachingXrefWhileXrefStalls() {
		CountDownLatch arrived = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger received = new AtomicInteger();
		this.xref.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				received.incrementAndGet();
				arrived.countDown();
				release.await(20, TimeUnit.SECONDS);
				return new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body(TOKEN_JSON)
					.build();
			}

		});
		this.contextRunner
			.withPropertyValues(apiUri(), "xref.oauth.max-concurrent-calls=2", "xref.oauth.read-timeout=30s")
			.run((context) -> {
				ExecutorService threads = Executors.newFixedThreadPool(2);
				try {
					Future<Integer> stalledCall = threads.submit(() -> callApi(context));
					Future<XrefTokenResponse> stalledExchange = threads.submit(() -> exchange(context));
					assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

					assertThatExceptionOfType(XrefBusyException.class).isThrownBy(() -> callApi(context))
						.withMessage("Xref is busy: 2 calls to Xref are in progress "
								+ "(xref.oauth.max-concurrent-calls); nothing was sent");
					assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> exchange(context))
						.withCauseInstanceOf(XrefBusyException.class);
					XrefConnectionService connections = context.getBean(XrefConnectionService.class);
					SecurityContextHolder.getContext()
						.setAuthentication(new TestingAuthenticationToken("alice", "password", "ROLE_USER"));
					assertThatExceptionOfType(XrefBusyException.class).isThrownBy(connections::verify);
					assertThatExceptionOfType(XrefBusyException.class).isThrownBy(connections::disconnect);
					assertThat(connections.current()).isPresent();
					assertThat(received).hasValue(2);

					release.countDown();
					assertThat(stalledCall.get(10, TimeUnit.SECONDS)).isEqualTo(200);
					assertThat(stalledExchange.get(10, TimeUnit.SECONDS).accessToken()).isEqualTo("token-1");
					assertThat(connections.verify()).isEqualTo(XrefVerification.ACCEPTED);
					assertThat(received).hasValue(3);
				}
				finally {
					release.countDown();
					SecurityContextHolder.clearContext();
					threads.shutdownNow();
				}
			});
	}

	@Test
	void startUpFailsNamingTheBoundWhenItIsNotPositive() {
		this.contextRunner.withPropertyValues(apiUri(), "xref.oauth.max-concurrent-calls=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidXrefPropertyException.class)
				.hasMessageContaining("xref.oauth.max-concurrent-calls"));
	}

	private String apiUri() {
		return "xref.oauth.api-uri=http://localhost:" + this.xref.getPort();
	}

	private static MockResponse slow(String body, int seconds) {
		return new MockResponse.Builder().body(body).headersDelay(seconds, TimeUnit.SECONDS).build();
	}

	private static XrefTokenResponse exchange(AssertableApplicationContext context) {
		return context.getBean(XrefTokenClient.class).exchange("code-1");
	}

	private static int callApi(AssertableApplicationContext context) {
		context.getBean(XrefAccountStore.class)
			.save("alice", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
		return context.getBean("xrefRestClient", RestClient.class)
			.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-1"))
			.exchange((request, response) -> response.getStatusCode().value());
	}

	private static SslBundle serverTls() {
		return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate("classpath:tls/xref-test.crt")
			.withPrivateKey("classpath:tls/xref-test.key"), null));
	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyConfiguration {

		@Bean
		ClientHttpRequestFactoryBuilderCustomizer<JdkClientHttpRequestFactoryBuilder> proxy(InetSocketAddress proxy) {
			return (builder) -> builder.withHttpClientCustomizer((client) -> client.proxy(ProxySelector.of(proxy)));
		}

	}

}
