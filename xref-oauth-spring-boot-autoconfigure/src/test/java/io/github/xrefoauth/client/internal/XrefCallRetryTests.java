package io.github.xrefoauth.client.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.event.XrefRevokedEvent;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A call that Xref rejects because the store has replaced its token meanwhile (another
 * instance or end user connected the account anew) is sent once more with the stored
 * token, through {@code RestClient} and {@code WebClient} alike, each wired as the
 * auto-configuration does and bounded to one call in progress at a time.
 */
class XrefCallRetryTests {

	private static final String REST = "RestClient";

	private static final String WEB = "WebClient";

	private static final String BODY = "{\"text\":\"Grüße, \\\"quoted\\\"\",\"lines\":[1,2,3]}";

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	/** The tokens the fake Xref honours. */
	private final Set<String> valid = ConcurrentHashMap.newKeySet();

	/** Runs on the next request Xref receives, before it answers. */
	private final AtomicReference<Runnable> onNextRequest = new AtomicReference<>(() -> {
	});

	private RestClient restClient;

	private WebClient webClient;

	@BeforeEach
	void setUp() throws Exception {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				XrefCallRetryTests.this.onNextRequest.getAndSet(() -> {
				}).run();
				String authorization = request.getHeaders().get("Authorization");
				boolean honoured = authorization != null
						&& XrefCallRetryTests.this.valid.contains(authorization.substring("Token ".length()));
				return honoured ? new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body("{\"xref_account_id\":\"acct-1\"}")
					.build() : new MockResponse.Builder().code(401).build();
			}

		});
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		XrefTenantResolver tenants = (authentication) -> "tenant-of-" + authentication.getName();
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(this.store, new XrefTenantContext(tenants), apiUri);
		interceptor.setApplicationEventPublisher(this.events::add);
		XrefHttpTransport restTransport = new XrefHttpTransport(JdkClientHttpRequestFactory::new, 1);
		this.restClient = RestClient.builder()
			.baseUrl(apiUri)
			.requestFactory(restTransport.requestFactory())
			.requestInterceptor(interceptor)
			.build();
		XrefTokenFilterFunction filter = new XrefTokenFilterFunction(this.store, new ReactiveXrefTenantContext(tenants),
				null, apiUri);
		filter.setApplicationEventPublisher(this.events::add);
		XrefHttpTransport webTransport = new XrefHttpTransport(JdkClientHttpRequestFactory::new, 1);
		this.webClient = WebClient.builder()
			.baseUrl(apiUri)
			.filter(filter)
			.filter(new XrefConcurrencyLimitFilterFunction(webTransport))
			.build();
		this.store.save("tenant-of-alice", connection("token-1"));
		this.store.save("batch", connection("token-1"));
		this.valid.add("token-1");
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	static Stream<Arguments> clientsAndChoices() {
		List<Arguments> arguments = new ArrayList<>();
		for (String client : List.of(REST, WEB)) {
			arguments.add(arguments(client, "account named", "alice", XrefRequestAttributes.account("acct-1")));
			arguments.add(arguments(client, "tenant named", null, XrefRequestAttributes.tenant("batch")));
			arguments.add(arguments(client, "caller's tenant", "alice", noAttributes()));
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("clientsAndChoices")
	void callAfterAReconnectElsewhereIsSentOnceMoreWithTheStoredToken(String client, String choice,
			@Nullable String endUser, Consumer<Map<String, Object>> attributes) throws Exception {
		this.onNextRequest.set(this::reconnect);

		String answer = call(client, endUser, attributes);

		assertThat(answer).isEqualTo("200 {\"xref_account_id\":\"acct-1\"}");
		assertThat(sentTokens()).containsExactly("Token token-1", "Token token-2");
		assertThat(this.events).isEmpty();
		assertThat(this.store.findByAccount("acct-1")).map(XrefConnection::accessToken).contains("token-2");
		assertThat(this.store.findByTenant("batch")).map(XrefConnection::accessToken).contains("token-2");
	}

	@ParameterizedTest
	@ValueSource(strings = { REST, WEB })
	void bodyIsSentAgainIntact(String client) throws Exception {
		this.onNextRequest.set(this::reconnect);

		assertThat(call(client, null, XrefRequestAttributes.tenant("batch"))).startsWith("200 ");

		RecordedRequest first = this.server.takeRequest(5, TimeUnit.SECONDS);
		RecordedRequest second = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(second.getHeaders().get("Authorization")).isEqualTo("Token token-2");
		assertThat(List.of(first, second)).allSatisfy((request) -> {
			assertThat(request.getMethod()).isEqualTo("POST");
			assertThat(request.getUrl().encodedPath()).isEqualTo("/auth");
			assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
			assertThat(request.getBody().utf8()).isEqualTo(BODY);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { REST, WEB })
	void pinnedConnectionIsNeverSentAgain(String client) throws Exception {
		this.onNextRequest.set(this::reconnect);

		String answer = call(client, "alice", XrefRequestAttributes.connection(connection("token-1")));

		assertThat(answer).isEqualTo("401 ");
		assertThat(sentTokens()).containsExactly("Token token-1");
		assertThat(this.events).isEmpty();
		assertThat(this.store.findByAccount("acct-1")).map(XrefConnection::accessToken).contains("token-2");
	}

	@ParameterizedTest
	@ValueSource(strings = { REST, WEB })
	void secondRejectionForgetsTheNewTokenAndSendsNothingMore(String client) throws Exception {
		// The account is connected anew, but Xref honours neither token.
		this.onNextRequest.set(() -> {
			this.store.save("batch", connection("token-2"));
			this.valid.clear();
		});

		String answer = call(client, null, XrefRequestAttributes.tenant("batch"));

		assertThat(answer).isEqualTo("401 ");
		assertThat(sentTokens()).containsExactly("Token token-1", "Token token-2");
		assertThat(this.store.findByAccount("acct-1")).isEmpty();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefRevokedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId")
						.containsExactly("batch", "acct-1"));
	}

	@ParameterizedTest
	@ValueSource(strings = { REST, WEB })
	void secondRejectionOfAReplacedTokenIsTheAnswer(String client) throws Exception {
		// Reconnected again while the second sending is on its way.
		this.onNextRequest.set(() -> {
			reconnect();
			this.onNextRequest.set(() -> {
				this.store.save("batch", connection("token-3"));
				this.valid.clear();
				this.valid.add("token-3");
			});
		});

		String answer = call(client, null, XrefRequestAttributes.tenant("batch"));

		assertThat(answer).isEqualTo("401 ");
		assertThat(sentTokens()).containsExactly("Token token-1", "Token token-2");
		assertThat(this.events).isEmpty();
		assertThat(this.store.findByAccount("acct-1")).map(XrefConnection::accessToken).contains("token-3");
	}

	/**
	 * Another end user or instance connects the account anew: the store holds
	 * {@code token-2}, and Xref revoked {@code token-1}.
	 */
	private void reconnect() {
		this.store.save("batch", connection("token-2"));
		this.valid.remove("token-1");
		this.valid.add("token-2");
	}

	/**
	 * Posts {@link #BODY} to {@code /auth}; returns the status and body of the answer.
	 */
	private String call(String client, @Nullable String endUser, Consumer<Map<String, Object>> attributes) {
		if (REST.equals(client)) {
			try {
				if (endUser != null) {
					SecurityContextHolder.getContext().setAuthentication(user(endUser));
				}
				return this.restClient.post()
					.uri("/auth")
					.attributes(attributes)
					.contentType(MediaType.APPLICATION_JSON)
					.body(BODY)
					.exchange((request, response) -> response.getStatusCode().value() + " "
							+ new String(response.getBody().readAllBytes()));
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		}
		Mono<String> call = this.webClient.post()
			.uri("/auth")
			.attributes(attributes)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(BODY)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> response.statusCode().value() + " " + body));
		if (endUser != null) {
			call = call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(user(endUser)));
		}
		return call.block();
	}

	/**
	 * The {@code Authorization} headers of every request Xref received, in order.
	 */
	private List<String> sentTokens() throws InterruptedException {
		List<String> sent = new ArrayList<>();
		for (int i = this.server.getRequestCount(); i > 0; i--) {
			sent.add(this.server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"));
		}
		return sent;
	}

	private static Consumer<Map<String, Object>> noAttributes() {
		return (attributes) -> {
		};
	}

	private static TestingAuthenticationToken user(String name) {
		return new TestingAuthenticationToken(name, "n/a", "ROLE_USER");
	}

	private static XrefConnection connection(String token) {
		return new XrefConnection("acct-1", token, Instant.parse("2026-01-01T00:00:00Z"), "alice");
	}

}
