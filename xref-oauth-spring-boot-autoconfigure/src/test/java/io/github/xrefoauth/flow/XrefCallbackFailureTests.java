package io.github.xrefoauth.flow;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad callbacks and a failing token endpoint end on the failure URL with a short reason
 * code, store nothing, and log neither the client secret nor a token.
 */
@SpringBootTest(classes = FlowTestApplication.class,
		properties = { "xref.oauth.failure-url=/connect-failed", "xref.oauth.success-url=/connected",
				"xref.oauth.read-timeout=2s" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class XrefCallbackFailureTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	/**
	 * Logged at DEBUG during each test, and reset after it: a level set in the properties
	 * would stay for the tests that run later in the same JVM.
	 */
	private static final List<String> DEBUG_LOGGERS = List.of("io.github.xrefoauth", "org.springframework.web.client",
			"org.springframework.security");

	private final Map<String, @Nullable LogLevel> levelsBefore = new HashMap<>();

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	XrefFlowSupport carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void browser() {
		xref.clearRequests();
		this.carol = new XrefFlowSupport(this.mvc, xref, "carol");
		for (String logger : DEBUG_LOGGERS) {
			LoggerConfiguration configuration = loggingSystem().getLoggerConfiguration(logger);
			this.levelsBefore.put(logger, (configuration != null) ? configuration.getConfiguredLevel() : null);
			loggingSystem().setLogLevel(logger, LogLevel.DEBUG);
		}
	}

	@AfterEach
	void resetLogLevels() {
		this.levelsBefore.forEach((logger, level) -> loggingSystem().setLogLevel(logger, level));
	}

	private static LoggingSystem loggingSystem() {
		return LoggingSystem.get(XrefCallbackFailureTests.class.getClassLoader());
	}

	@Test
	void callbackWithoutStateNeverCallsTheTokenEndpoint() throws Exception {
		this.carol.startConnect();

		assertThat(this.carol.callback(XrefFlowSupport.REDIRECT_URI + "?code=abc"))
			.isEqualTo("/connect-failed?xref_error=invalid_state");
		assertNothingExchangedOrStored();
	}

	@Test
	void callbackWithUnknownStateNeverCallsTheTokenEndpoint() throws Exception {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		String forged = UriComponentsBuilder.fromUriString(callback)
			.replaceQueryParam("state", "forged-state")
			.build(true)
			.toUriString();

		assertThat(this.carol.callback(forged)).isEqualTo("/connect-failed?xref_error=invalid_state");
		assertNothingExchangedOrStored();
	}

	@Test
	void stateFromAnotherBrowserSessionIsRejected() throws Exception {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		XrefFlowSupport attackersBrowser = new XrefFlowSupport(this.mvc, xref, "carol");

		assertThat(attackersBrowser.callback(callback)).isEqualTo("/connect-failed?xref_error=invalid_state");
		assertNothingExchangedOrStored();
	}

	@Test
	void replayedStateIsRejectedWithoutASecondTokenRequest() throws Exception {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		assertThat(this.carol.callback(callback)).isEqualTo("/connected");
		this.store.deleteAccount("acct-globex");

		assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=invalid_state");
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		assertThat(this.store.findByTenant("globex")).isEmpty();
	}

	@Test
	void deniedConsentIsAFailureWithAccessDenied() throws Exception {
		String callback = xref.deny(this.carol.startConnect());
		assertThat(callback).contains("error=access_denied");

		assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=access_denied");
		assertNothingExchangedOrStored();
	}

	@Test
	void otherXrefErrorIsReportedWithoutItsText() throws Exception {
		String callback = xref.deny(this.carol.startConnect())
			.replace("access_denied", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");

		assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=xref_error");
		assertNothingExchangedOrStored();
	}

	@Test
	void callbackWithoutCodeIsAFailure() throws Exception {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		String withoutCode = UriComponentsBuilder.fromUriString(callback)
			.replaceQueryParam("code")
			.build(true)
			.toUriString();

		assertThat(this.carol.callback(withoutCode)).isEqualTo("/connect-failed?xref_error=missing_code");
		assertNothingExchangedOrStored();
	}

	@Test
	void endUserWithoutTenantIsRefusedBeforeTheTripToXref() throws Exception {
		XrefFlowSupport mallory = new XrefFlowSupport(this.mvc, xref, "mallory");

		assertThat(mallory.startConnect()).isEqualTo("/connect-failed?xref_error=no_tenant");
		assertThat(mallory.cookies()).isEmpty();
		assertThat(Collections.list(mallory.session().getAttributeNames())).noneMatch((name) -> name.contains("Xref"));
		assertNothingExchangedOrStored();
		assertThat(this.store.findByAccount("acct-globex")).isEmpty();
	}

	@Test
	void tokenEndpointErrorsAreFailuresThatStoreNothing(CapturedOutput output) throws Exception {
		MockResponse[] answers = { json(400, "{\"error\":\"invalid_grant\"}"), json(500, "{}"),
				json(200, "not json at all"), json(200, "{\"access_token\":\"leaked-token-1\"}"),
				json(200, "{\"xref_account_id\":\"acct-globex\"}"),
				new MockResponse.Builder().code(200)
					.body("{\"access_token\":\"leaked-token-2\",\"xref_account_id\":\"acct-globex\"}")
					.headersDelay(5, TimeUnit.SECONDS)
					.build() };
		for (MockResponse answer : answers) {
			xref.overrideNextTokenResponse(answer);
			String callback = xref.approve(this.carol.startConnect(), "acct-globex");

			assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=token_exchange_failed");
			assertThat(this.store.findByTenant("globex")).isEmpty();
			assertThat(this.store.findByAccount("acct-globex")).isEmpty();
		}
		assertThat(xref.requests("/oauth/tokens")).hasSize(answers.length);
		// RestClient logs the token request at DEBUG, with the secret hidden
		assertThat(output).contains("client_secret=<hidden>")
			.doesNotContain(XrefFlowSupport.CLIENT_SECRET, "leaked-token-1", "leaked-token-2");
	}

	@Test
	void successfulConnectLogsNeitherTheSecretNorTheToken(CapturedOutput output) throws Exception {
		assertThat(this.carol.connect("acct-globex")).isEqualTo("/connected");
		String token = this.store.findByTenant("globex").orElseThrow().accessToken();
		this.store.deleteAccount("acct-globex");

		assertThat(output).contains("Connected Xref account acct-globex for tenant globex")
			.doesNotContain(XrefFlowSupport.CLIENT_SECRET, token);
	}

	private void assertNothingExchangedOrStored() {
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
		assertThat(this.store.findByTenant("globex")).isEmpty();
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

}
