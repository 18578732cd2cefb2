package io.github.xrefoauth.flow;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.test.XrefSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every connect, disconnect and revocation is an application event and an observation,
 * failures with their reason code; with Actuator's metrics each observation is a timer.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefObservationRecording.class,
		XrefEventsAndObservationsTests.Recording.class })
@AutoConfigureMockMvc
class XrefEventsAndObservationsTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@Autowired
	TestObservationRegistry observations;

	@Autowired
	Recording events;

	@Autowired
	MeterRegistry meters;

	XrefFlowSupport alice;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void reset() {
		xref.clearRequests();
		this.observations.clear();
		this.events.received.clear();
		this.alice = new XrefFlowSupport(this.mvc, xref, "alice");
	}

	@AfterEach
	void forgetConnections() {
		// A connection that Xref rejected is kept without its token: remove it as well.
		String accountId = this.store.status("acme").xrefAccountId();
		if (accountId != null) {
			this.store.deleteAccount(accountId);
		}
	}

	@Test
	void connectPublishesConnectedAndObservesTheConnectAndTheTokenExchange() throws Exception {
		long timedBefore = timed("xref.connect", "success");
		long exchangesTimedBefore = timed("xref.token.exchange", "success");
		Instant before = Instant.now();
		this.alice.connect("acct-acme");

		assertThat(this.events.received).singleElement().isInstanceOfSatisfying(XrefConnectedEvent.class, (event) -> {
			assertThat(event.tenantKey()).isEqualTo("acme");
			assertThat(event.xrefAccountId()).isEqualTo("acct-acme");
			assertThat(event.endUser()).isEqualTo("alice");
			assertThat(event.time()).isBetween(before, Instant.now());
		});
		assertThat(observed()).contains(tuple("xref.connect", "success", "none"),
				tuple("xref.token.exchange", "success", "none"));
		assertThat(timed("xref.connect", "success")).isEqualTo(timedBefore + 1);
		assertThat(timed("xref.token.exchange", "success")).isEqualTo(exchangesTimedBefore + 1);
	}

	@Test
	void deniedConnectPublishesTheReasonAndObservesAFailure() throws Exception {
		this.alice.callback(xref.deny(this.alice.startConnect()));

		assertThat(this.events.received).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class, (event) -> {
				assertThat(event.reason()).isEqualTo(XrefConnectFailure.DENIED);
				assertThat(event.tenantKey()).isEqualTo("acme");
				assertThat(event.endUser()).isEqualTo("alice");
				assertThat(event.xrefAccountId()).isNull();
			});
		assertThat(observed()).containsExactly(tuple("xref.connect", "failure", "access_denied"));
	}

	@Test
	void failedTokenExchangeIsObservedAsAFailureOfBoth() throws Exception {
		String callback = xref.approve(this.alice.startConnect(), "acct-acme");
		xref.overrideNextTokenResponse(new MockResponse.Builder().code(500).body("{}").build());

		this.alice.callback(callback);

		assertThat(this.events.received).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event.reason()).isEqualTo(XrefConnectFailure.TOKEN_EXCHANGE_FAILED));
		assertThat(observed()).contains(tuple("xref.connect", "failure", "token_exchange_failed"),
				tuple("xref.token.exchange", "failure", "XrefTokenException"));
		assertThat(this.store.findByTenant("acme")).isEmpty();
	}

	@Test
	void callbackWithAnUnknownStateIsAnInvalidStateFailure() throws Exception {
		this.alice.startConnect();
		this.alice.callback(XrefFlowSupport.REDIRECT_URI + "?state=forged&code=abc");

		assertThat(this.events.received).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event.reason()).isEqualTo(XrefConnectFailure.INVALID_STATE));
		assertThat(observed()).containsExactly(tuple("xref.connect", "failure", "invalid_state"));
	}

	@Test
	void disconnectPublishesDisconnectedAndObservesTheDeauthorizeCallAndItsHttpRequest() throws Exception {
		this.alice.connect("acct-acme");
		this.events.received.clear();
		this.observations.clear();

		this.mvc.perform(post("/api/disconnect").with(user("bob")).with(csrf())).andExpect(status().isOk());

		assertThat(this.events.received).singleElement()
			.isInstanceOfSatisfying(XrefDisconnectedEvent.class, (event) -> {
				assertThat(event.tenantKey()).isEqualTo("acme");
				assertThat(event.xrefAccountId()).isEqualTo("acct-acme");
				assertThat(event.endUser()).isEqualTo("bob");
			});
		assertThat(observed()).contains(tuple("xref.deauthorize", "success", "none"));
		// xrefRestClient keeps Boot's HTTP client observation
		assertThat(this.observations).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasLowCardinalityKeyValue("uri", "/oauth/deauthorize");
	}

	@Test
	void a401FromXrefPublishesRevoked() throws Exception {
		this.alice.connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		this.events.received.clear();
		xref.revokeAccount("acct-acme");

		this.mvc.perform(post("/api/auth").with(user("bob")).with(csrf())).andExpect(status().isBadGateway());

		assertThat(this.events.received).singleElement().isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
			assertThat(event.tenantKey()).isEqualTo("acme");
			assertThat(event.xrefAccountId()).isEqualTo("acct-acme");
			assertThat(event.endUser()).isEqualTo("bob");
			assertThat(event.toString()).doesNotContain(token);
		});
	}

	@Test
	void noEventCarriesTheToken() throws Exception {
		this.alice.connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		this.mvc.perform(post("/api/disconnect").with(user("alice")).with(csrf())).andExpect(status().isOk());

		assertThat(this.events.received).hasSize(2)
			.allSatisfy((event) -> assertThat(event.toString()).contains("acct-acme").doesNotContain(token));
	}

	/**
	 * Returns how many observations of a name and outcome the timer has counted so far in
	 * this context; other tests raise it too, so tests compare it before and after.
	 */
	private long timed(String name, String outcome) {
		Timer timer = this.meters.find(name).tags("outcome", outcome, "reason", "none").timer();
		return (timer != null) ? timer.count() : 0;
	}

	private List<Tuple> observed() {
		return XrefObservationRecording.observed(this.observations);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Recording {

		final List<XrefConnectionEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(XrefConnectionEvent event) {
			this.received.add(event);
		}

	}

}
