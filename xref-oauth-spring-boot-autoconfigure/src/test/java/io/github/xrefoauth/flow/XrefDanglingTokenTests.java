package io.github.xrefoauth.flow;

import java.util.Set;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectSettling;
import io.github.xrefoauth.flow.FaultyStore.Fault;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No token is left valid at Xref that the store does not hold: a token that could not be
 * stored is revoked, a write that committed before the store failed is a success, and a
 * reconnect revokes the token it replaced, but never one the store still holds. The
 * simulator keeps replaced tokens valid, as an Xref whose tokens are independent would.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefDanglingTokenTests.FaultyStoreConfiguration.class },
		properties = { "xref.oauth.failure-url=/connect-failed", "xref.oauth.success-url=/connected" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class XrefDanglingTokenTests {

	static final String ACCOUNT = "acct-globex";

	static final XrefSimulator xref = XrefSimulator.start()
		.registerClient(XrefFlowSupport.CLIENT_ID, XrefFlowSupport.CLIENT_SECRET, XrefFlowSupport.REDIRECT_URI)
		.independentTokens(true);

	@Autowired
	MockMvc mvc;

	@Autowired
	FaultyStore store;

	@Autowired
	XrefConnectManager connectManager;

	XrefFlowSupport carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
		registry.add("xref.oauth.login-uri", xref::baseUrl);
		registry.add("xref.oauth.api-uri", xref::baseUrl);
	}

	@BeforeEach
	void browser() {
		this.carol = new XrefFlowSupport(this.mvc, xref, "carol");
	}

	@AfterEach
	void reset() {
		this.store.fault = Fault.NONE;
		this.store.deleteAccount(ACCOUNT);
		xref.revokeAccount(ACCOUNT);
		xref.clearRequests();
	}

	@AfterAll
	static void stopSimulator() {
		xref.close();
	}

	@Test
	void tokenThatCouldNotBeStoredIsRevoked(CapturedOutput output) throws Exception {
		this.store.fault = Fault.SAVE_FAILS;

		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connect-failed?xref_error=store_failed");

		assertThat(this.store.findByTenant("globex")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
		assertThat(output).contains("Revoked the unstored token of Xref account acct-globex");
	}

	@Test
	void tokenIssuedWithoutItsAccountIsRevoked(CapturedOutput output) throws Exception {
		xref.overrideNextTokenResponse(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"token-without-account\"}")
			.build());
		String callback = xref.approve(this.carol.startConnect(), ACCOUNT);

		assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=token_exchange_failed");

		assertThat(xref.requests("/oauth/deauthorize")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
				.isEqualTo("Token token-without-account"));
		assertThat(this.store.findByTenant("globex")).isEmpty();
		assertThat(output).contains("Revoked the token of an unnamed Xref account at Xref")
			.doesNotContain("token-without-account");
	}

	@Test
	void tokenIsKeptAsideWhenEvenTheReadBackFailsAndRevokedOnceTheStoreShowsItUnstored() throws Exception {
		this.store.fault = Fault.SAVE_AND_READS_FAIL;

		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connect-failed?xref_error=outcome_pending");
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();

		this.store.fault = Fault.NONE;
		XrefConnectSettling.settleNow(this.connectManager);
		assertThat(this.store.findByTenant("globex")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
	}

	@Test
	void writeThatCommittedBeforeTheStoreFailedIsASuccess() throws Exception {
		this.store.fault = Fault.SAVE_COMMITS_THEN_FAILS;

		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");

		String stored = this.store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(xref.validTokens()).containsExactly(stored);
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
	}

	@Test
	void revocationThatFailsIsLoggedWithoutTheTokenAndChangesNothingElse(CapturedOutput output) throws Exception {
		this.store.fault = Fault.SAVE_FAILS;
		xref.overrideNextResponse("/oauth/deauthorize", new MockResponse.Builder().code(503).build());

		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connect-failed?xref_error=store_failed");

		String token = xref.requests("/oauth/deauthorize").get(0).getHeaders().get("Authorization").substring(6);
		assertThat(xref.validTokens()).containsExactly(token);
		assertThat(this.store.findByTenant("globex")).isEmpty();
		assertThat(output)
			.contains("Could not revoke the unstored token of Xref account acct-globex; it may stay valid at Xref")
			.doesNotContain(token);
	}

	@Test
	void reconnectRevokesTheTokenItReplaced(CapturedOutput output) throws Exception {
		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");
		String replaced = this.store.findByTenant("globex").orElseThrow().accessToken();

		assertThat(new XrefFlowSupport(this.mvc, xref, "carol").connect(ACCOUNT)).isEqualTo("/connected");

		String current = this.store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(current).isNotEqualTo(replaced);
		assertThat(xref.validTokens()).containsExactly(current);
		assertThat(output).contains("Revoked the replaced token of Xref account acct-globex")
			.doesNotContain(replaced)
			.doesNotContain(current);
	}

	@Test
	void reconnectThatCouldNotBeStoredKeepsTheTokenStillHeld() throws Exception {
		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");
		String held = this.store.findByTenant("globex").orElseThrow().accessToken();
		this.store.fault = Fault.SAVE_FAILS;

		assertThat(new XrefFlowSupport(this.mvc, xref, "carol").connect(ACCOUNT))
			.isEqualTo("/connect-failed?xref_error=store_failed");

		this.store.fault = Fault.NONE;
		assertThat(this.store.findByTenant("globex")).get().extracting(XrefConnection::accessToken).isEqualTo(held);
		assertThat(xref.validTokens()).containsExactly(held);
	}

	@Test
	void reconnectWhoseRevocationFailsStillConnects() throws Exception {
		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");
		String replaced = this.store.findByTenant("globex").orElseThrow().accessToken();
		xref.overrideNextResponse("/oauth/deauthorize",
				new MockResponse.Builder().code(302).addHeader("Location", "/login").build());

		assertThat(new XrefFlowSupport(this.mvc, xref, "carol").connect(ACCOUNT)).isEqualTo("/connected");

		String current = this.store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(xref.validTokens()).isEqualTo(Set.of(replaced, current));
		assertThat(xref.requests("/login")).isEmpty();
	}

	@Test
	void reconnectThroughAStoreThatCannotReadTheReplacedTokenStoresNothingAndRevokesTheNewToken() throws Exception {
		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");
		String replaced = this.store.findByTenant("globex").orElseThrow().accessToken();
		this.store.fault = Fault.FIRST_READ_FAILS;

		// The store's replace reads the connection it replaces before it writes: a
		// reconnect whose replaced token is not known is not stored.
		assertThat(new XrefFlowSupport(this.mvc, xref, "carol").connect(ACCOUNT))
			.isEqualTo("/connect-failed?xref_error=store_failed");

		assertThat(this.store.findByTenant("globex")).map(XrefConnection::accessToken).contains(replaced);
		assertThat(xref.validTokens()).isEqualTo(Set.of(replaced));
	}

	@Test
	void reconnectThatCommittedBeforeTheStoreFailedConnectsAndSaysTheReplacedTokenStaysValid(CapturedOutput output)
			throws Exception {
		assertThat(this.carol.connect(ACCOUNT)).isEqualTo("/connected");
		String replaced = this.store.findByTenant("globex").orElseThrow().accessToken();
		this.store.fault = Fault.SAVE_COMMITS_THEN_FAILS;

		assertThat(new XrefFlowSupport(this.mvc, xref, "carol").connect(ACCOUNT)).isEqualTo("/connected");

		String current = this.store.findByTenant("globex").orElseThrow().accessToken();
		assertThat(xref.validTokens()).isEqualTo(Set.of(replaced, current));
		assertThat(output).contains("Could not read which token the new token of Xref account acct-globex replaced");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FaultyStoreConfiguration {

		@Bean
		FaultyStore faultyStore() {
			return new FaultyStore();
		}

	}

}
