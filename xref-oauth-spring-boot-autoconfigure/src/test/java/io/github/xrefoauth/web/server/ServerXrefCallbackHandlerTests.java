package io.github.xrefoauth.web.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.flow.FaultyStore;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The WebFlux callback is the {@code xref.connect} observation of the completion's
 * registry, ended before the end user is redirected, as the servlet callback is.
 */
class ServerXrefCallbackHandlerTests {

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final XrefConnectOutcomes outcomes = new XrefConnectOutcomes();

	private final ServerXrefAuthorizationRequestRepository repository = mock(
			ServerXrefAuthorizationRequestRepository.class);

	private final List<String> redirects = new CopyOnWriteArrayList<>();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final ServerXrefCallbackHandler handler;

	ServerXrefCallbackHandlerTests() {
		XrefConnectManager completion = new XrefConnectManager(
				(code) -> new XrefTokenResponse("token-for-" + code, "acct-acme"), new InMemoryXrefAccountStore());
		completion.setObservationRegistry(this.observations);
		completion.setConnectOutcomes(this.outcomes);
		completion.setApplicationEventPublisher(this.events::add);
		this.handler = new ServerXrefCallbackHandler("/callback", this.repository,
				new ReactiveXrefTenantContext(XrefTenantResolver.principalName()), completion);
		this.handler.setRedirectStrategy(this::redirect);
	}

	/**
	 * Records where the end user is sent, once the connect's observation has ended.
	 */
	private Mono<Void> redirect(ServerWebExchange exchange, URI location) {
		assertThat(this.observations).hasObservationWithNameEqualTo("xref.connect").that().hasBeenStopped();
		this.redirects.add(location.toString());
		return Mono.empty();
	}

	@Test
	void connectIsObservedAsASuccessEndedBeforeTheRedirect() {
		callbackOfAPendingConnect("?state=s1&code=abc");

		assertThat(this.redirects).containsExactly("/");
		assertConnectObserved("success", "none");
		assertThat(this.observations).hasObservationWithNameEqualTo("xref.token.exchange")
			.that()
			.hasParentObservationContextMatching((parent) -> "xref.connect".equals(parent.getName()));
		assertThat(this.outcomes.connected()).isOne();
	}

	@Test
	void deniedConnectIsObservedWithItsReason() {
		callbackOfAPendingConnect("?state=s1&error=access_denied");

		assertThat(this.redirects).containsExactly("/?xref_error=access_denied");
		assertConnectObserved("failure", "access_denied");
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event).extracting("reason", "tenantKey", "endUser")
						.containsExactly(XrefConnectFailure.DENIED, "alice", "alice"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "HEAD", "POST", "PUT", "DELETE" })
	void callbackThatIsNotAGetIsAnsweredWith405AndTouchesNothing(String method) {
		given(this.repository.removeAuthorizationRequest(any())).willReturn(Mono.just(pending()));
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.valueOf(method), "/callback?state=s1&code=abc"));

		assertThat(this.handler.matches(exchange).block()).isTrue();
		signedIn(this.handler.handle(exchange)).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(exchange.getResponse().getHeaders().getAllow()).containsExactly(HttpMethod.GET);
		assertThat(this.redirects).isEmpty();
		verifyNoInteractions(this.repository);
		assertThat(this.outcomes.connected()).isZero();
		assertThat(this.outcomes.failures(XrefConnectFailure.INVALID_REQUEST)).isOne();
	}

	@Test
	void connectThatCouldNotStartIsObservedAsStartFailed() {
		signedIn(this.handler.startFailed(callback(""), new IllegalStateException("session store down"))).block();

		assertThat(this.redirects).containsExactly("/?xref_error=start_failed");
		assertConnectObserved("failure", "start_failed");
		assertThat(this.outcomes.failures(XrefConnectFailure.START_FAILED)).isOne();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event).extracting("reason", "tenantKey", "endUser")
						.containsExactly(XrefConnectFailure.START_FAILED, "alice", "alice"));
	}

	@Test
	void connectWhoseClientGoesAwayDuringTheTokenExchangeStillStoresTheToken() throws Exception {
		CountDownLatch exchanging = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		FaultyStore store = new FaultyStore();
		XrefConnectManager completion = new XrefConnectManager((code) -> {
			exchanging.countDown();
			awaitUninterruptibly(answer);
			return new XrefTokenResponse("token-for-" + code, "acct-acme");
		}, store);
		completion.setObservationRegistry(this.observations);
		completion.setConnectOutcomes(this.outcomes);
		ServerXrefCallbackHandler slowHandler = new ServerXrefCallbackHandler("/callback", this.repository,
				new ReactiveXrefTenantContext(XrefTenantResolver.principalName()), completion);
		slowHandler.setRedirectStrategy(this::redirect);
		given(this.repository.removeAuthorizationRequest(any())).willReturn(Mono.just(pending()));

		StepVerifier.create(signedIn(slowHandler.handle(callback("?state=s1&code=abc"))))
			.expectSubscription()
			.then(() -> assertThat(awaitUninterruptibly(exchanging)).isTrue())
			.thenCancel()
			.verify();
		answer.countDown();

		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertConnectObserved("success", "none"));
		assertThat(store.findByTenant("alice")).get()
			.extracting((connection) -> connection.accessToken())
			.isEqualTo("token-for-abc");
		assertThat(this.outcomes.connected()).isOne();
		assertThat(this.redirects).isEmpty();
	}

	/**
	 * Waits for the latch, as a blocking call that an interrupt does not end.
	 */
	private static boolean awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return latch.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void assertConnectObserved(String outcome, String reason) {
		assertThat(this.observations).hasObservationWithNameEqualTo("xref.connect")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", outcome)
			.hasLowCardinalityKeyValue("reason", reason);
	}

	private void callbackOfAPendingConnect(String query) {
		given(this.repository.removeAuthorizationRequest(any())).willReturn(Mono.just(pending()));
		signedIn(this.handler.handle(callback(query))).block();
	}

	private static Mono<Void> signedIn(Mono<Void> handling) {
		return handling.contextWrite(ReactiveSecurityContextHolder
			.withAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of())));
	}

	private static MockServerWebExchange callback(String query) {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/callback" + query));
	}

	private static OAuth2AuthorizationRequest pending() {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.xref.com/oauth/open-api/client-1")
			.clientId("client-1")
			.state("s1")
			.build();
	}

}
