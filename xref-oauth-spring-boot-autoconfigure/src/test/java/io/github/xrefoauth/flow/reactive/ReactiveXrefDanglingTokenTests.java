package io.github.xrefoauth.flow.reactive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.connect.XrefConnectSettling;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.flow.FaultyStore;
import io.github.xrefoauth.flow.FaultyStore.Fault;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux callback keeps the promises of the servlet one, with every case of
 * {@code XrefDanglingTokenTests}: a token that could not be stored is revoked, a write
 * that committed before the store failed is a success, a reconnect revokes the token it
 * replaced (a revocation that fails is logged and changes nothing else), and outcomes are
 * counted in the {@link XrefConnectOutcomes} bean with faults warned about at a bounded
 * rate. The simulator keeps replaced tokens valid, as an Xref whose tokens are
 * independent would.
 */
@SpringBootTest(
		classes = { ReactiveFlowTestApplication.class, ReactiveXrefDanglingTokenTests.FaultyStoreConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "xref.oauth.success-url=/connected",
				"xref.oauth.failure-url=/connect-failed" })
@ExtendWith(OutputCaptureExtension.class)
class ReactiveXrefDanglingTokenTests {

	static final String ACCOUNT = "acct-globex";

	static final String FAILED = "/connect-failed?xref_error=";

	static final FaultyStore store = new FaultyStore();

	static final XrefSimulator xref = XrefSimulator.start()
		.registerClient(ReactiveBrowser.CLIENT_ID, ReactiveBrowser.CLIENT_SECRET, ReactiveBrowser.REDIRECT_URI)
		.independentTokens(true);

	@LocalServerPort
	int port;

	@Autowired
	XrefConnectOutcomes outcomes;

	@Autowired
	XrefConnectManager connectManager;

	final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

	ReactiveBrowser carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.client-id", () -> ReactiveBrowser.CLIENT_ID);
		registry.add("xref.oauth.client-secret", () -> ReactiveBrowser.CLIENT_SECRET);
		registry.add("xref.oauth.redirect-uri", () -> ReactiveBrowser.REDIRECT_URI);
		registry.add("xref.oauth.login-uri", xref::baseUrl);
		registry.add("xref.oauth.api-uri", xref::baseUrl);
	}

	@BeforeEach
	void browser() {
		this.carol = new ReactiveBrowser(this.port, "carol");
		// Warnings start afresh, timed by this test's clock
		this.connectManager.setClock(this.clock);
	}

	@AfterEach
	void reset() {
		this.connectManager.setClock(Clock.systemUTC());
		store.fault = Fault.NONE;
		store.deleteAccount(ACCOUNT);
		xref.revokeAccount(ACCOUNT);
		xref.clearRequests();
		assertThat(EventLoopGuard.violations).as("blocking calls on an event-loop thread").isEmpty();
	}

	@AfterAll
	static void stopSimulator() {
		xref.close();
	}

	@Test
	void tokenThatCouldNotBeStoredIsRevokedAndCounted(CapturedOutput output) {
		long storeFailed = this.outcomes.failures(XrefConnectFailure.STORE_FAILED);
		store.fault = Fault.SAVE_FAILS;

		assertThat(connect(this.carol)).isEqualTo(FAILED + "store_failed");

		assertThat(store.findByTenant("globex")).isEmpty();
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
		assertThat(this.outcomes.failures(XrefConnectFailure.STORE_FAILED)).isEqualTo(storeFailed + 1);
		assertThat(output).contains("Revoked the unstored token of Xref account acct-globex");
	}

	@Test
	void tokenIssuedWithoutItsAccountIsRevokedAndCounted(CapturedOutput output) {
		long exchangeFailed = this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED);
		xref.overrideNextTokenResponse(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"token-without-account\"}")
			.build());

		assertThat(connect(this.carol)).isEqualTo(FAILED + "token_exchange_failed");

		assertThat(xref.requests("/oauth/deauthorize")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
				.isEqualTo("Token token-without-account"));
		assertThat(store.findByTenant("globex")).isEmpty();
		assertThat(this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED)).isEqualTo(exchangeFailed + 1);
		assertThat(output).contains("Revoked the token of an unnamed Xref account at Xref")
			.doesNotContain("token-without-account");
	}

	@Test
	void tokenIsKeptAsideWhenEvenTheReadBackFailsAndRevokedOnceTheStoreShowsItUnstored() {
		store.fault = Fault.SAVE_AND_READS_FAIL;

		assertThat(connect(this.carol)).isEqualTo(FAILED + "outcome_pending");
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();

		store.fault = Fault.NONE;
		XrefConnectSettling.settleNow(this.connectManager);
		assertThat(store.findByTenant("globex")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
	}

	@Test
	void writeThatCommittedBeforeTheStoreFailedIsASuccess() {
		long connected = this.outcomes.connected();
		store.fault = Fault.SAVE_COMMITS_THEN_FAILS;

		assertThat(connect(this.carol)).isEqualTo("/connected");

		String stored = store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(xref.validTokens()).containsExactly(stored);
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(this.outcomes.connected()).isEqualTo(connected + 1);
	}

	@Test
	void revocationThatFailsIsLoggedWithoutTheTokenAndChangesNothingElse(CapturedOutput output) {
		store.fault = Fault.SAVE_FAILS;
		xref.overrideNextResponse("/oauth/deauthorize", new MockResponse.Builder().code(503).build());

		assertThat(connect(this.carol)).isEqualTo(FAILED + "store_failed");

		String token = xref.requests("/oauth/deauthorize").get(0).getHeaders().get("Authorization").substring(6);
		assertThat(xref.validTokens()).containsExactly(token);
		assertThat(store.findByTenant("globex")).isEmpty();
		assertThat(output)
			.contains("Could not revoke the unstored token of Xref account acct-globex; it may stay valid at Xref")
			.doesNotContain(token);
	}

	@Test
	void reconnectRevokesTheTokenItReplaced(CapturedOutput output) {
		assertThat(connect(this.carol)).isEqualTo("/connected");
		String replaced = store.findByTenant("globex").orElseThrow().accessToken();

		assertThat(connect(new ReactiveBrowser(this.port, "carol"))).isEqualTo("/connected");

		String current = store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(current).isNotEqualTo(replaced);
		assertThat(xref.validTokens()).containsExactly(current);
		assertThat(xref.requests("/oauth/deauthorize")).singleElement()
			.satisfies(
					(request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + replaced));
		assertThat(output).contains("Revoked the replaced token of Xref account acct-globex")
			.doesNotContain(replaced)
			.doesNotContain(current);
	}

	@Test
	void reconnectThatCouldNotBeStoredKeepsTheTokenStillHeld() {
		assertThat(connect(this.carol)).isEqualTo("/connected");
		String held = store.findByTenant("globex").orElseThrow().accessToken();
		store.fault = Fault.SAVE_FAILS;

		assertThat(connect(new ReactiveBrowser(this.port, "carol"))).isEqualTo(FAILED + "store_failed");

		store.fault = Fault.NONE;
		assertThat(store.findByTenant("globex").orElseThrow().accessToken()).isEqualTo(held);
		assertThat(xref.validTokens()).containsExactly(held);
	}

	@Test
	void reconnectWhoseRevocationFailsStillConnects() {
		assertThat(connect(this.carol)).isEqualTo("/connected");
		String replaced = store.findByTenant("globex").orElseThrow().accessToken();
		xref.overrideNextResponse("/oauth/deauthorize",
				new MockResponse.Builder().code(302).addHeader("Location", "/login").build());

		assertThat(connect(new ReactiveBrowser(this.port, "carol"))).isEqualTo("/connected");

		String current = store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(xref.validTokens()).isEqualTo(Set.of(replaced, current));
		assertThat(xref.requests("/login")).isEmpty();
	}

	@Test
	void reconnectThroughAStoreThatCannotReadTheReplacedTokenStoresNothingAndRevokesTheNewToken() {
		assertThat(connect(this.carol)).isEqualTo("/connected");
		String replaced = store.findByTenant("globex").orElseThrow().accessToken();
		store.fault = Fault.FIRST_READ_FAILS;

		// The store's replace reads the connection it replaces before it writes: a
		// reconnect whose replaced token is not known is not stored.
		assertThat(connect(new ReactiveBrowser(this.port, "carol")))
			.isEqualTo("/connect-failed?xref_error=store_failed");

		assertThat(store.findByTenant("globex")).map(XrefConnection::accessToken).contains(replaced);
		assertThat(xref.validTokens()).isEqualTo(Set.of(replaced));
	}

	@Test
	void tokenEndpointFaultsAreCountedAndWarnedAboutOnceAMinute(CapturedOutput output) {
		long failed = this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED);
		List<String> warningsBefore = warnings(output);
		for (int i = 0; i < 3; i++) {
			failTokenExchange();
			this.clock.advance(Duration.ofSeconds(19));
		}

		assertThat(this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED)).isEqualTo(failed + 3);
		assertThat(warningsSince(output, warningsBefore)).singleElement()
			.asString()
			.endsWith("Xref connect failed with token_exchange_failed: XrefTokenException");

		this.clock.advance(Duration.ofSeconds(3));
		failTokenExchange();

		assertThat(warningsSince(output, warningsBefore)).hasSize(2)
			.last()
			.asString()
			.endsWith("Xref connect failed with token_exchange_failed: XrefTokenException"
					+ " (2 more since the last warning)");
		assertThat(this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED)).isEqualTo(failed + 4);
		assertThat(store.findByTenant("globex")).isEmpty();
	}

	@Test
	void forgedCallbacksAreCountedButNotWarnedAbout(CapturedOutput output) {
		long invalidState = this.outcomes.failures(XrefConnectFailure.INVALID_STATE);
		List<String> warningsBefore = warnings(output);
		for (int i = 0; i < 20; i++) {
			assertThat(this.carol.callback(ReactiveBrowser.REDIRECT_URI + "?state=forged-" + i + "&code=c" + i))
				.isEqualTo(FAILED + "invalid_state");
		}

		assertThat(this.outcomes.failures(XrefConnectFailure.INVALID_STATE)).isEqualTo(invalidState + 20);
		assertThat(warningsSince(output, warningsBefore)).isEmpty();
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
	}

	private void failTokenExchange() {
		xref.overrideNextTokenResponse(new MockResponse.Builder().code(503).build());
		assertThat(connect(new ReactiveBrowser(this.port, "carol"))).isEqualTo(FAILED + "token_exchange_failed");
	}

	/** Connects the account through this test's simulator. */
	private static String connect(ReactiveBrowser browser) {
		return browser.callback(xref.approve(browser.startConnect(), ACCOUNT));
	}

	/** Returns the WARN lines of failed connects written so far. */
	private static List<String> warnings(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains("Xref connect failed"))
			.toList();
	}

	/** Returns the WARN lines of failed connects written after the given ones. */
	private static List<String> warningsSince(CapturedOutput output, List<String> before) {
		List<String> all = warnings(output);
		return all.subList(before.size(), all.size());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FaultyStoreConfiguration {

		@Bean
		FaultyStore faultyStore() {
			return store;
		}

	}

}
