package io.github.xrefoauth.flow.reactive;

import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefForgottenEvent;
import io.github.xrefoauth.flow.XrefObservationRecording;
import io.github.xrefoauth.test.XrefSimulator;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The whole connect / call / disconnect flow of a WebFlux platform with only the starter
 * and the three properties, on a real Netty server, against the Xref simulator.
 */
@SpringBootTest(classes = { ReactiveFlowTestApplication.class, XrefObservationRecording.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.main.web-application-type=reactive",
				"xref.oauth.success-url=/connected", "xref.oauth.failure-url=/connect-failed" })
class ReactiveXrefConnectFlowTests {

	static final XrefSimulator xref = ReactiveBrowser.XREF;

	static final String FAILED = "/connect-failed?xref_error=";

	@LocalServerPort
	int port;

	@Autowired
	XrefAccountStore store;

	@Autowired
	TestObservationRegistry observations;

	ReactiveBrowser alice;

	ReactiveBrowser bob;

	ReactiveBrowser carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		ReactiveBrowser.register(registry);
	}

	@BeforeEach
	void browsers() {
		xref.clearRequests();
		this.observations.clear();
		this.alice = new ReactiveBrowser(this.port, "alice");
		this.bob = new ReactiveBrowser(this.port, "bob");
		this.carol = new ReactiveBrowser(this.port, "carol");
	}

	@AfterEach
	void forgetConnectionsAndCheckThreads() {
		for (String tenant : List.of("acme", "globex")) {
			this.store.findByTenant(tenant)
				.ifPresent((connection) -> this.store.deleteAccount(connection.xrefAccountId()));
		}
		assertThat(EventLoopGuard.violations).as("blocking calls on an event-loop thread").isEmpty();
	}

	@Test
	void connectRedirectsToTheXrefAuthorizeUrlWithOnlyState() {
		String location = this.alice.startConnect();

		UriComponents uri = UriComponentsBuilder.fromUriString(location).build();
		assertThat(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + uri.getPath())
			.isEqualTo(xref.baseUrl() + "/oauth/open-api/" + ReactiveBrowser.CLIENT_ID);
		assertThat(uri.getQueryParams().keySet()).containsExactly("state");
		assertThat(uri.getQueryParams().getFirst("state")).hasSizeGreaterThan(20);
	}

	@Test
	void anonymousConnectIsAskedToAuthenticateFirst() {
		ReactiveBrowser anonymous = new ReactiveBrowser(this.port, "nobody");
		EntityExchangeResult<String> result = anonymous.send("GET", "/oauth2/authorization/xref");
		assertThat(result.getStatus().value()).isEqualTo(401);
		assertThat(result.getResponseHeaders().getLocation()).isNull();
	}

	@Test
	void platformRulesDecideWhoMayConnect() {
		ReactiveBrowser dave = new ReactiveBrowser(this.port, "dave");
		EntityExchangeResult<String> result = dave.send("GET", "/oauth2/authorization/xref");
		assertThat(result.getStatus().value()).isEqualTo(403);
		assertThat(result.getResponseHeaders().getLocation()).isNull();
	}

	@Test
	void tenantSharesOneConnectionAndAnotherTenantSeesNone() {
		assertThat(this.alice.connect("acct-acme")).isEqualTo("/connected");

		assertThat(body(this.alice, "GET", "/api/connection")).isEqualTo("acct-acme");
		assertThat(body(this.bob, "GET", "/api/connection")).isEqualTo("acct-acme");
		assertThat(body(this.carol, "GET", "/api/connection")).isEqualTo("none");
		assertThat(status(this.alice, "POST", "/api/auth")).isEqualTo(200);
		assertThat(status(this.bob, "POST", "/api/auth")).isEqualTo(200);
		assertThat(status(this.carol, "POST", "/api/auth")).isEqualTo(409);

		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		assertThat(xref.requests("/auth")).hasSize(2)
			.allSatisfy((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
		assertThat(this.store.findByAccount("acct-acme").orElseThrow().connectedBy()).isEqualTo("alice");
	}

	@Test
	void disconnectByOneEndUserDisconnectsTheWholeTenant() {
		this.alice.connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();

		ReactiveFlowTestApplication.PlatformController.events.clear();

		assertThat(body(this.bob, "POST", "/api/disconnect")).isEqualTo("disconnected");

		List<RecordedRequest> deauthorize = xref.requests("/oauth/deauthorize");
		assertThat(deauthorize).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
		assertThat(body(this.alice, "GET", "/api/connection")).isEqualTo("none");
		assertThat(status(this.alice, "POST", "/api/auth")).isEqualTo(409);
		assertThat(status(this.alice, "POST", "/api/disconnect")).isEqualTo(409);
		assertThat(ReactiveFlowTestApplication.PlatformController.events).singleElement()
			.isInstanceOfSatisfying(XrefDisconnectedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly("acme", "acct-acme", "bob"));
	}

	@Test
	void tokenRevokedAtXrefIsForgottenOnTheNext401() {
		this.carol.connect("acct-globex");
		xref.revokeAccount("acct-globex");

		assertThat(status(this.carol, "POST", "/api/auth")).isEqualTo(502);

		assertThat(body(this.carol, "GET", "/api/connection")).isEqualTo("none");
	}

	@Test
	void verifyTellsWhetherXrefStillAcceptsTheToken() {
		this.carol.connect("acct-globex");
		assertThat(body(this.carol, "POST", "/api/verify")).isEqualTo("ACCEPTED");

		xref.revokeAccount("acct-globex");

		assertThat(body(this.carol, "POST", "/api/verify")).isEqualTo("FORGOTTEN");
		assertThat(body(this.carol, "GET", "/api/connection")).isEqualTo("none");
	}

	@Test
	void forgetEndsTheConnectionHereWithoutCallingXref() {
		this.carol.connect("acct-globex");
		ReactiveFlowTestApplication.PlatformController.events.clear();

		assertThat(body(this.carol, "POST", "/api/forget")).isEqualTo("forgotten");

		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(body(this.carol, "GET", "/api/connection")).isEqualTo("none");
		assertThat(status(this.carol, "POST", "/api/forget")).isEqualTo(409);
		assertThat(ReactiveFlowTestApplication.PlatformController.events).singleElement()
			.isInstanceOf(XrefForgottenEvent.class);
	}

	@Test
	void twoTabsConnectingAtOnceBothComplete() {
		String firstTab = this.alice.startConnect();
		String secondTab = this.alice.startConnect();

		assertThat(this.alice.callback(xref.approve(secondTab, "acct-acme"))).isEqualTo("/connected");
		assertThat(this.alice.callback(xref.approve(firstTab, "acct-acme"))).isEqualTo("/connected");

		assertThat(xref.requests("/oauth/tokens")).hasSize(2);
	}

	@Test
	void replayedStateExchangesNoSecondCode() {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		assertThat(this.carol.callback(callback)).isEqualTo("/connected");
		this.store.deleteAccount("acct-globex");

		assertThat(this.carol.callback(callback)).isEqualTo(FAILED + "invalid_state");

		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		assertThat(this.store.findByTenant("globex")).isEmpty();
	}

	@Test
	void forgedStateExchangesNoCode() {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		String forged = UriComponentsBuilder.fromUriString(callback)
			.replaceQueryParam("state", "forged-state")
			.build(true)
			.toUriString();

		assertThat(this.carol.callback(forged)).isEqualTo(FAILED + "invalid_state");
		assertNothingExchangedOrStored();
	}

	@Test
	void stateFromAnotherBrowserIsRejected() {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		ReactiveBrowser attackersBrowser = new ReactiveBrowser(this.port, "carol");

		assertThat(attackersBrowser.callback(callback)).isEqualTo(FAILED + "invalid_state");
		assertNothingExchangedOrStored();
	}

	@Test
	void stateOfAnotherEndUserInTheSameBrowserIsRejected() {
		String callback = xref.approve(this.alice.startConnect(), "acct-acme");
		this.bob.cookies().putAll(this.alice.cookies());

		assertThat(this.bob.callback(callback)).isEqualTo(FAILED + "invalid_state");
		assertNothingExchangedOrStored();
		assertThat(this.alice.callback(callback)).isEqualTo("/connected");
	}

	@Test
	void deniedConsentIsAFailureWithAccessDenied() {
		String callback = xref.deny(this.carol.startConnect());

		assertThat(this.carol.callback(callback)).isEqualTo(FAILED + "access_denied");
		assertNothingExchangedOrStored();
		assertThat(XrefObservationRecording.observed(this.observations))
			.containsExactly(tuple("xref.connect", "failure", "access_denied"));
	}

	@Test
	void connectIsObservedWithItsTokenExchange() {
		this.alice.connect("acct-acme");

		assertThat(XrefObservationRecording.observed(this.observations)).containsExactlyInAnyOrder(
				tuple("xref.connect", "success", "none"), tuple("xref.token.exchange", "success", "none"));
	}

	@Test
	void otherXrefErrorIsReportedWithoutItsText() {
		String callback = xref.deny(this.carol.startConnect())
			.replace("access_denied", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");

		String landing = this.carol.callback(callback);

		assertThat(landing).isEqualTo(FAILED + "xref_error").doesNotContainIgnoringCase("script");
		assertNothingExchangedOrStored();
	}

	@Test
	void callbackWithoutCodeIsAFailure() {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		String withoutCode = UriComponentsBuilder.fromUriString(callback)
			.replaceQueryParam("code")
			.build(true)
			.toUriString();

		assertThat(this.carol.callback(withoutCode)).isEqualTo(FAILED + "missing_code");
		assertNothingExchangedOrStored();
	}

	@Test
	void endUserWithoutTenantIsRefusedBeforeTheTripToXref() {
		ReactiveBrowser mallory = new ReactiveBrowser(this.port, "mallory");

		assertThat(mallory.startConnect()).isEqualTo(FAILED + "no_tenant");
		assertThat(mallory.cookies()).as("no session and no pending connect").isEmpty();
		assertThat(this.observations).hasObservationWithNameEqualTo("xref.connect")
			.that()
			.hasLowCardinalityKeyValue("reason", "no_tenant");
		assertNothingExchangedOrStored();
	}

	@Test
	void tokenEndpointFailuresStoreNothing() {
		MockResponse[] answers = { json(400, "{\"error\":\"invalid_grant\"}"), json(500, "{}"),
				json(200, "not json at all"), json(200, "{\"access_token\":\"leaked-token-1\"}"),
				json(200, "{\"xref_account_id\":\"acct-globex\"}"), json(200, "[\"acct-globex\"]") };
		for (MockResponse answer : answers) {
			xref.overrideNextTokenResponse(answer);
			String callback = xref.approve(this.carol.startConnect(), "acct-globex");

			assertThat(this.carol.callback(callback)).isEqualTo(FAILED + "token_exchange_failed");
			assertThat(this.store.findByTenant("globex")).isEmpty();
			assertThat(this.store.findByAccount("acct-globex")).isEmpty();
		}
		assertThat(xref.requests("/oauth/tokens")).hasSize(answers.length);
	}

	@Test
	void storeAndTokenCallsOfTheWholeFlowRunOffTheEventLoop() {
		int before = EventLoopGuard.calls.get();
		this.alice.connect("acct-acme");
		status(this.bob, "POST", "/api/auth");
		body(this.alice, "POST", "/api/verify");
		body(this.bob, "POST", "/api/disconnect");

		// exchange, save, findByTenant (auth), findByTenant (verify), findByTenant +
		// deleteByAccessToken (disconnect); verify and disconnect send the token they
		// read
		assertThat(EventLoopGuard.calls.get() - before).isGreaterThanOrEqualTo(6);
		assertThat(EventLoopGuard.violations).isEmpty();
	}

	private void assertNothingExchangedOrStored() {
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
		assertThat(this.store.findByTenant("globex")).isEmpty();
		assertThat(this.store.findByTenant("acme")).isEmpty();
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static String body(ReactiveBrowser browser, String method, String path) {
		EntityExchangeResult<String> result = browser.send(method, path);
		assertThat(result.getStatus().value()).as(method + " " + path).isEqualTo(200);
		return result.getResponseBody();
	}

	private static int status(ReactiveBrowser browser, String method, String path) {
		return browser.send(method, path).getStatus().value();
	}

}
