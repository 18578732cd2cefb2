package io.github.xrefoauth.client;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.StaleReads;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.internal.XrefTokenFilterFunction;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefForgottenEvent;
import io.github.xrefoauth.internal.XrefApiAnswer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link ReactiveXrefConnectionService} judges Xref's answers as
 * {@link XrefConnectionService} does: each answer of one table runs through both, against
 * the same fake Xref and store.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveXrefConnectionServiceTests {

	private static final String JSON = "application/json";

	private static final String HTML = "text/html; charset=utf-8";

	private static final String ACCEPTED = "ACCEPTED";

	private static final String FORGOTTEN = "FORGOTTEN";

	private static final String REVOKED = "revoked";

	private static final String FAILED = "XrefApiException";

	private static final String REFUSAL = "XrefApiException, a refusal";

	private static final String RATE_LIMITED = "XrefRateLimitedException, retry after";

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private final List<XrefConnectionEvent> events = new CopyOnWriteArrayList<>();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final XrefTenantResolver tenants = (authentication) -> "acme";

	private ReactiveXrefConnectionService service;

	private XrefConnectionService servletService;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		ReactiveXrefTenantContext tenantContext = new ReactiveXrefTenantContext(this.tenants);
		WebClient webClient = WebClient.builder()
			.baseUrl(apiUri)
			.filter(new XrefTokenFilterFunction(this.store, tenantContext, null, apiUri))
			.build();
		this.service = new ReactiveXrefConnectionService(this.store, tenantContext, webClient);
		this.service.setApplicationEventPublisher((event) -> this.events.add((XrefConnectionEvent) event));
		this.service.setObservationRegistry(this.observations);
		XrefTenantContext servletTenants = new XrefTenantContext(this.tenants);
		RestClient restClient = RestClient.builder()
			.baseUrl(apiUri)
			.requestInterceptor(new XrefTokenInterceptor(this.store, servletTenants, apiUri))
			.build();
		this.servletService = new XrefConnectionService(this.store, servletTenants, restClient);
		connect();
		SecurityContextHolder.getContext().setAuthentication(alice());
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@ParameterizedTest(name = "{0}: verify {1}, disconnect {2}")
	@MethodSource("answers")
	void bothStacksJudgeAnAnswerAlike(String answer, String verified, String disconnected,
			Supplier<MockResponse> response) {
		Outcome servletVerify = outcome(response, () -> this.servletService.verify());
		Outcome reactiveVerify = outcome(response, () -> asAlice(this.service.verify()));
		Outcome servletDisconnect = outcome(response, () -> {
			this.servletService.disconnect();
			return REVOKED;
		});
		Outcome reactiveDisconnect = outcome(response, () -> asAlice(this.service.disconnect().thenReturn(REVOKED)));

		assertThat(reactiveVerify).isEqualTo(servletVerify);
		assertThat(reactiveDisconnect).isEqualTo(servletDisconnect);
		assertThat(reactiveVerify.result()).isEqualTo(verified);
		assertThat(reactiveDisconnect.result()).isEqualTo(disconnected);
		for (Outcome outcome : List.of(reactiveVerify, reactiveDisconnect)) {
			assertThat(outcome.kept()).as("connection kept")
				.isEqualTo(!outcome.result().equals(FORGOTTEN) && !outcome.result().equals(REVOKED));
			assertThat(String.valueOf(outcome.message())).doesNotContain("token-1").doesNotContain("<html>");
		}
	}

	static Stream<Arguments> answers() {
		String revoked = "{\"access_token\":\"token-1\"}";
		return Stream.of(answer("2xx JSON object", 200, JSON, "{\"xref_account_id\":\"acct-1\"}", ACCEPTED, FAILED),
				answer("2xx JSON object naming the token", 200, JSON, revoked, ACCEPTED, REVOKED),
				answer("2xx JSON with a charset", 200, JSON + ";charset=UTF-8", revoked, ACCEPTED, REVOKED),
				answer("2xx application/problem+json", 200, "application/problem+json", revoked, ACCEPTED, REVOKED),
				answer("2xx JSON array", 200, JSON, "[\"token-1\"]", ACCEPTED, FAILED),
				answer("2xx JSON scalar", 200, JSON, "\"token-1\"", ACCEPTED, FAILED),
				answer("2xx JSON naming another token", 200, JSON, "{\"access_token\":\"other-token\"}", ACCEPTED,
						FAILED),
				answer("2xx JSON with a null token", 200, JSON, "{\"access_token\":null}", ACCEPTED, FAILED),
				answer("2xx JSON of exactly 64 KiB", 200, JSON, padded(XrefApiAnswer.MAX_BODY_BYTES), ACCEPTED,
						REVOKED),
				answer("2xx JSON over 64 KiB", 200, JSON, padded(XrefApiAnswer.MAX_BODY_BYTES + 1), FAILED, FAILED),
				answer("broken JSON", 200, JSON, "not json", FAILED, FAILED),
				answer("empty JSON body", 200, JSON, "", FAILED, FAILED),
				answer("HTML 200", 200, HTML, "<html>token-1</html>", FAILED, FAILED),
				answer("200 without content type", 200, null, revoked, FAILED, FAILED),
				answer("204", 204, null, "", FAILED, FAILED), answer("302", 302, null, "", FAILED, FAILED),
				answer("400", 400, JSON, "{\"error\":\"invalid_request\"}", REFUSAL, REFUSAL),
				answer("401", 401, null, "", FORGOTTEN, REVOKED),
				answer("403", 403, JSON, "{\"error\":\"forbidden\"}", REFUSAL, REFUSAL),
				answer("404 HTML", 404, HTML, "<html>not found</html>", REFUSAL, REFUSAL),
				answer("429", 429, JSON, "{}", RATE_LIMITED + " PT1M", RATE_LIMITED + " PT1M"),
				answer("429 with Retry-After: 7", 429, JSON, "{}", "7", RATE_LIMITED + " PT7S", RATE_LIMITED + " PT7S"),
				answer("429 with Retry-After: an HTTP date in the past", 429, null, "", "Sun, 06 Nov 1994 08:49:37 GMT",
						RATE_LIMITED + " PT0S", RATE_LIMITED + " PT0S"),
				answer("500 HTML", 500, HTML, "<html/>", FAILED, FAILED),
				answer("503 naming the token", 503, JSON, revoked, FAILED, FAILED));
	}

	@Test
	void verifyPostsToAuthWithTheToken() throws Exception {
		this.server.enqueue(response(200, JSON, "{}"));

		assertThat(asAlice(this.service.verify())).isEqualTo(XrefVerification.ACCEPTED);

		assertThat(this.server.takeRequest().getRequestLine()).isEqualTo("POST /auth HTTP/1.1");
	}

	@Test
	void lateRejectionOfAReplacedTokenKeepsTheNewerConnection() {
		XrefConnection old = this.store.findByTenant("acme").orElseThrow();
		this.store.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "bob"));
		ReactiveXrefConnectionService readsTheOldToken = serviceOver(new StaleReads(this.store, old, 1));
		this.server.enqueue(response(401, null, ""));

		assertThat(asAlice(readsTheOldToken.verify())).isEqualTo(XrefVerification.REPLACED);
		assertThat(this.store.findByTenant("acme")).get().extracting(XrefConnection::accessToken).isEqualTo("token-2");
	}

	@Test
	void disconnectWithAStaleReadLeavesANewerConnectionAlone() {
		XrefConnection stale = this.store.findByTenant("acme").orElseThrow();
		this.store.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "bob"));
		this.server.enqueue(response(401, null, ""));

		asAlice(serviceOver(new StaleReads(this.store, stale, Integer.MAX_VALUE)).disconnect());

		assertThat(this.store.findByAccount("acct-1")).get()
			.extracting(XrefConnection::accessToken)
			.isEqualTo("token-2");
	}

	@Test
	void disconnectPublishesDisconnectedOnceTheAccountIsForgotten() {
		this.service.setApplicationEventPublisher((event) -> {
			assertThat(this.store.findByAccount("acct-1")).as("forgotten before the event").isEmpty();
			this.events.add((XrefConnectionEvent) event);
		});
		this.server.enqueue(response(200, JSON, "{\"access_token\":\"token-1\"}"));

		asAlice(this.service.disconnect());

		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefDisconnectedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly("acme", "acct-1", "alice"));
	}

	@Test
	void disconnectThatXrefDidNotConfirmPublishesNothing() {
		this.server.enqueue(response(503, null, ""));

		assertThatExceptionOfType(XrefApiException.class).isThrownBy(() -> asAlice(this.service.disconnect()))
			.withMessage("Xref answered POST /oauth/deauthorize with HTTP 503 (no content type): not a 2xx answer");

		assertThat(this.events).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("deauthorizeObservations")
	void deauthorizeIsObservedAsOnTheServletStack(int status, String body, String outcome, String reason) {
		this.server.enqueue(response(status, JSON, body));
		this.server.enqueue(response(status, JSON, body));
		TestObservationRegistry servletObservations = TestObservationRegistry.create();
		this.servletService.setObservationRegistry(servletObservations);

		assertThat(disconnected(() -> this.servletService.disconnect())).isEqualTo(status == 200);
		connect();
		assertThat(disconnected(() -> asAlice(this.service.disconnect()))).isEqualTo(status == 200);

		assertThat(observed(this.observations)).containsExactly(tuple("xref.deauthorize", outcome, reason))
			.isEqualTo(observed(servletObservations));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("xref.deauthorize")
			.that()
			.hasBeenStarted()
			.hasBeenStopped();
	}

	static Stream<Arguments> deauthorizeObservations() {
		return Stream.of(arguments(200, "{\"access_token\":\"token-1\"}", "success", "none"),
				arguments(403, "{}", "failure", "XrefApiException"));
	}

	@Test
	void forgetWarnsAndPublishesForgottenWithoutCallingXref(CapturedOutput output) {
		asAlice(this.service.forget());

		assertThat(this.store.findByAccount("acct-1")).isEmpty();
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(output).contains("Forgot Xref account acct-1 without revoking its token").doesNotContain("token-1");
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefForgottenEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly("acme", "acct-1", "alice"));
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.forget()));
		assertThat(this.events).hasSize(1);
	}

	@Test
	void withoutConnectionNothingIsSent() {
		this.store.deleteAccount("acct-1");

		assertThat(asAlice(this.service.current())).isNull();
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.verify()));
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.disconnect()));
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.forget()));
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(this.events).isEmpty();
	}

	/**
	 * Answers the call once with the response, from a freshly stored connection.
	 */
	private Outcome outcome(Supplier<MockResponse> response, Supplier<Object> call) {
		connect();
		this.server.enqueue(response.get());
		String result;
		String message = null;
		try {
			result = String.valueOf(call.get());
		}
		catch (XrefRateLimitedException ex) {
			result = RATE_LIMITED + " " + ex.getRetryAfter();
			message = ex.getMessage();
		}
		catch (XrefApiException ex) {
			result = ex.isRefusal() ? REFUSAL : FAILED;
			message = ex.getMessage();
		}
		return new Outcome(result, message, this.store.findByTenant("acme").isPresent());
	}

	private static boolean disconnected(Runnable disconnect) {
		try {
			disconnect.run();
			return true;
		}
		catch (XrefApiException ex) {
			return false;
		}
	}

	private static List<Object> observed(TestObservationRegistry registry) {
		List<Object> observed = new CopyOnWriteArrayList<>();
		assertThat(registry).hasHandledContextsThatSatisfy((contexts) -> {
			for (Observation.Context context : contexts) {
				observed.add(tuple(context.getName(), value(context, "outcome"), value(context, "reason")));
			}
		});
		return observed;
	}

	private static @Nullable String value(Observation.Context context, String key) {
		return (context.getLowCardinalityKeyValue(key) != null) ? context.getLowCardinalityKeyValue(key).getValue()
				: null;
	}

	private void connect() {
		this.store.deleteAccount("acct-1");
		this.store.save("acme", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
	}

	private ReactiveXrefConnectionService serviceOver(XrefAccountStore store) {
		return new ReactiveXrefConnectionService(store, new ReactiveXrefTenantContext(this.tenants),
				WebClient.builder().baseUrl(this.server.url("/").toString()).build());
	}

	private static TestingAuthenticationToken alice() {
		return new TestingAuthenticationToken("alice", "n/a", "ROLE_USER");
	}

	private static <T> T asAlice(Mono<T> call) {
		return call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(alice())).block();
	}

	private static Arguments answer(String name, int status, @Nullable String contentType, String body, String verified,
			String disconnected) {
		Supplier<MockResponse> response = () -> response(status, contentType, body);
		return arguments(name, verified, disconnected, response);
	}

	private static Arguments answer(String name, int status, @Nullable String contentType, String body,
			String retryAfter, String verified, String disconnected) {
		Supplier<MockResponse> response = () -> response(status, contentType, body).newBuilder()
			.addHeader("Retry-After", retryAfter)
			.build();
		return arguments(name, verified, disconnected, response);
	}

	private static MockResponse response(int status, @Nullable String contentType, String body) {
		MockResponse.Builder response = new MockResponse.Builder().code(status);
		if (contentType != null) {
			response.addHeader("Content-Type", contentType);
		}
		if (status == 302) {
			response.addHeader("Location", "/login");
		}
		return (status == 204) ? response.build() : response.body(body).build();
	}

	/**
	 * A JSON object naming the revoked token, padded to the given length in bytes.
	 */
	private static String padded(int length) {
		String start = "{\"access_token\":\"token-1\",\"padding\":\"";
		return start + "x".repeat(length - start.length() - 2) + "\"}";
	}

	/**
	 * What a call came to: its result or exception, the exception's message, and whether
	 * the tenant is still connected.
	 */
	private record Outcome(String result, @Nullable String message, boolean kept) {

	}

}
