package io.github.xrefoauth.flow;

import java.net.URI;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.test.XrefSimulator;
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

	XrefFlowSupport carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void browser() {
		xref.clearRequests();
		this.carol = new XrefFlowSupport(this.mvc, xref, "carol");
	}

	@AfterEach
	void forgetConnection() {
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
		int warningsBefore = warnings(output);

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
		assertThat(warnings(output)).isEqualTo(warningsBefore);
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void repeatedTokenEndpointFaultsAreWarnedAboutOnceAMinute(CapturedOutput output) throws Exception {
		long failed = this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED);
		int warningsBefore = warnings(output);
		for (int i = 0; i < 5; i++) {
			xref.overrideNextTokenResponse(new MockResponse.Builder().code(503).build());
			String callback = xref.approve(this.carol.startConnect(), "acct-globex");
			assertThat(this.carol.callback(callback)).isEqualTo("/connect-failed?xref_error=token_exchange_failed");
		}
		assertThat(this.outcomes.failures(XrefConnectFailure.TOKEN_EXCHANGE_FAILED)).isEqualTo(failed + 5);
		assertThat(warnings(output)).isBetween(warningsBefore, warningsBefore + 1);
		assertThat(this.outcomes.failures()).containsEntry("token_exchange_failed", failed + 5)
			.containsKeys("invalid_state", "invalid_request", "no_tenant");
	}

	/** Counts the WARN lines of failed connects written so far. */
	private static int warnings(CapturedOutput output) {
		return (int) output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains("Xref connect failed"))
			.count();
	}

}
