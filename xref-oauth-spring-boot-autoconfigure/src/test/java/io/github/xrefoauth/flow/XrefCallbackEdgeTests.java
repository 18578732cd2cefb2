package io.github.xrefoauth.flow;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The callback answers {@code GET} only, and hostile callbacks are counted without
 * flooding the log.
 */
@SpringBootTest(classes = FlowTestApplication.class,
		properties = { "xref.oauth.failure-url=/connect-failed", "xref.oauth.success-url=/connected" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class XrefCallbackEdgeTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@Autowired
	XrefConnectOutcomes outcomes;

	@Autowired
	XrefConnectManager connectManager;

	final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

	XrefFlowSupport carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void browser() {
		xref.clearRequests();
		this.carol = new XrefFlowSupport(this.mvc, xref, "carol");
		// Warnings start afresh, timed by this test's clock
		this.connectManager.setClock(this.clock);
	}

	@AfterEach
	void forgetConnection() {
		this.connectManager.setClock(Clock.systemUTC());
		this.store.deleteAccount("acct-globex");
	}

	@Test
	void callbackAnswersOtherMethodsThan405AndLeavesThePendingConnectAlone() throws Exception {
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		for (HttpMethod method : List.of(HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.POST, HttpMethod.PUT,
				HttpMethod.PATCH, HttpMethod.DELETE)) {
			this.mvc
				.perform(request(method, URI.create(callback)).session(this.carol.session())
					.with(user("carol"))
					.with(csrf()))
				.andExpect(status().isMethodNotAllowed())
				.andExpect(header().string("Allow", "GET"))
				.andExpect(header().doesNotExist("Location"));
		}
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
		assertThat(this.store.findByTenant("globex")).isEmpty();

		assertThat(this.carol.callback(callback)).isEqualTo("/connected");
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void thousandHostileCallbacksAreCountedButNotWarnedAbout(CapturedOutput output) throws Exception {
		String used = xref.approve(this.carol.startConnect(), "acct-globex");
		assertThat(this.carol.callback(used)).isEqualTo("/connected");
		long invalidState = this.outcomes.failures(XrefConnectFailure.INVALID_STATE);
		long invalidRequest = this.outcomes.failures(XrefConnectFailure.INVALID_REQUEST);
		long connected = this.outcomes.connected();
		List<String> warningsBefore = warnings(output);

		for (int i = 0; i < 250; i++) {
			assertThat(this.carol.callback(XrefFlowSupport.REDIRECT_URI + "?state=forged-" + i + "&code=c" + i))
				.isEqualTo("/connect-failed?xref_error=invalid_state");
			assertThat(
					this.carol.callback(XrefFlowSupport.REDIRECT_URI + "?state=forged-" + i + "&error=access_denied"))
				.isEqualTo("/connect-failed?xref_error=invalid_state");
			assertThat(this.carol.callback(used)).isEqualTo("/connect-failed?xref_error=invalid_state");
			this.mvc
				.perform(request(HttpMethod.HEAD, URI.create(used)).session(this.carol.session()).with(user("carol")))
				.andExpect(status().isMethodNotAllowed());
		}

		assertThat(this.outcomes.failures(XrefConnectFailure.INVALID_STATE)).isEqualTo(invalidState + 750);
		assertThat(this.outcomes.failures(XrefConnectFailure.INVALID_REQUEST)).isEqualTo(invalidRequest + 250);
		assertThat(this.outcomes.connected()).isEqualTo(connected);
		assertThat(warningsSince(output, warningsBefore)).isEmpty();
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void repeatedTokenEndpointFaultsAreWarnedAboutOnceAMinute(CapturedOutput output) throws Exception {
		long failed = this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED);
		List<String> warningsBefore = warnings(output);
		for (int i = 0; i < 5; i++) {
			failTokenExchange();
			this.clock.advance(Duration.ofSeconds(11));
		}
		assertThat(this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED)).isEqualTo(failed + 5);
		assertThat(warningsSince(output, warningsBefore)).singleElement()
			.asString()
			.endsWith("Xref connect failed with token_exchange_failed: XrefTokenException");

		this.clock.advance(Duration.ofSeconds(5));
		failTokenExchange();

		assertThat(warningsSince(output, warningsBefore)).hasSize(2)
			.last()
			.asString()
			.endsWith("Xref connect failed with token_exchange_failed: XrefTokenException"
					+ " (4 more since the last warning)");
		assertThat(this.outcomes.failures()).containsEntry("token_exchange_failed", failed + 6)
			.containsKeys("invalid_state", "invalid_request", "no_tenant");
	}

	private void failTokenExchange() throws Exception {
		xref.overrideNextTokenResponse(new MockResponse.Builder().code(503).build());
		String callback = xref.approve(this.carol.startConnect(), "acct-globex");
		assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=token_exchange_failed");
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

}
