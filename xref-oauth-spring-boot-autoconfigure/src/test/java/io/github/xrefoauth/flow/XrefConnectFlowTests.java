package io.github.xrefoauth.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The whole connect / call / disconnect flow of an app with only the starter and the
 * three properties, through the real filter chain, against the Xref simulator.
 */
@SpringBootTest(classes = FlowTestApplication.class)
@AutoConfigureMockMvc
class XrefConnectFlowTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@Autowired
	XrefConnectManager connectManager;

	XrefFlowSupport alice;

	XrefFlowSupport bob;

	XrefFlowSupport carol;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void browsers() {
		xref.clearRequests();
		this.alice = new XrefFlowSupport(this.mvc, xref, "alice");
		this.bob = new XrefFlowSupport(this.mvc, xref, "bob");
		this.carol = new XrefFlowSupport(this.mvc, xref, "carol");
	}

	@AfterEach
	void forgetConnections() {
		this.connectManager.setClock(Clock.systemUTC());
		if (this.store instanceof JdbcXrefAccountStore jdbcStore) {
			jdbcStore.setClock(Clock.systemUTC());
		}
		for (String tenant : List.of("acme", "globex")) {
			this.store.findByTenant(tenant)
				.ifPresent((connection) -> this.store.deleteAccount(connection.xrefAccountId()));
		}
	}

	@Test
	void connectRedirectsToTheXrefAuthorizeUrlWithOnlyState() throws Exception {
		String location = this.alice.startConnect();

		UriComponents uri = UriComponentsBuilder.fromUriString(location).build();
		assertThat(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + uri.getPath())
			.isEqualTo(xref.baseUrl() + "/oauth/open-api/" + XrefFlowSupport.CLIENT_ID);
		assertThat(uri.getQueryParams().keySet()).containsExactly("state");
		assertThat(uri.getQueryParams().getFirst("state")).hasSizeGreaterThan(20);
		assertThat(location).doesNotContain("code_challenge", "response_type", "redirect_uri", "scope");
	}

	@Test
	void anonymousConnectIsAskedToAuthenticateFirst() throws Exception {
		this.mvc.perform(get("/oauth2/authorization/xref"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().doesNotExist("Location"));
	}

	/**
	 * Xref's tokens have no expiry; Spring Security's token responses give such a token
	 * one second. The connection is stamped by the connect's clock, hours before the
	 * calls, and the JDBC store's cache has expired by the last call, which reads the
	 * stored row.
	 */
	@Test
	void tenantSharesOneConnectionThatOutlivesSpringsOneSecondExpiry() throws Exception {
		Instant connectedAt = Instant.parse("2026-03-01T08:00:00Z");
		MutableClock clock = new MutableClock(connectedAt);
		this.connectManager.setClock(clock);
		if (this.store instanceof JdbcXrefAccountStore jdbcStore) {
			jdbcStore.setClock(clock);
		}
		assertThat(this.alice.connect("acct-acme")).isEqualTo("/");
		assertThat(this.store.findByAccount("acct-acme").orElseThrow().connectedAt()).isEqualTo(connectedAt);

		assertThat(connection("alice")).isEqualTo("acct-acme");
		assertThat(connection("bob")).isEqualTo("acct-acme");
		assertThat(connection("carol")).isEqualTo("none");
		callXref("alice");
		callXref("bob");
		this.mvc.perform(post("/api/auth").with(user("carol")).with(csrf())).andExpect(status().isConflict());

		clock.advance(Duration.ofHours(6));
		callXref("alice");

		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		assertThat(xref.requests("/auth")).hasSize(3)
			.allSatisfy((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
	}

	@Test
	void disconnectByOneEndUserDisconnectsTheWholeTenant() throws Exception {
		this.alice.connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();

		this.mvc.perform(post("/api/disconnect").with(user("bob")).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string("disconnected"));

		List<RecordedRequest> deauthorize = xref.requests("/oauth/deauthorize");
		assertThat(deauthorize).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
		assertThat(connection("alice")).isEqualTo("none");
		assertThat(connection("bob")).isEqualTo("none");
		this.mvc.perform(post("/api/auth").with(user("alice")).with(csrf())).andExpect(status().isConflict());
	}

	@Test
	void tokenRevokedAtXrefIsForgottenOnTheNext401() throws Exception {
		this.carol.connect("acct-globex");
		xref.revokeAccount("acct-globex");

		this.mvc.perform(post("/api/auth").with(user("carol")).with(csrf())).andExpect(status().isBadGateway());

		assertThat(connection("carol")).isEqualTo("none");
	}

	@Test
	void reconnectReplacesTheTokenOfTheSameAccount() throws Exception {
		this.alice.connect("acct-acme");
		String first = this.store.findByAccount("acct-acme").orElseThrow().accessToken();

		this.bob.connect("acct-acme");

		String second = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		assertThat(second).isNotEqualTo(first);
		assertThat(this.store.findByAccount("acct-acme").orElseThrow().connectedBy()).isEqualTo("bob");
		callXref("alice");
	}

	@Test
	void twoTabsConnectingAtOnceBothComplete() throws Exception {
		String firstTab = this.alice.startConnect();
		String secondTab = this.alice.startConnect();

		assertThat(this.alice.callback(xref.approve(secondTab, "acct-acme"))).isEqualTo("/");
		assertThat(this.alice.callback(xref.approve(firstTab, "acct-acme"))).isEqualTo("/");

		assertThat(xref.requests("/oauth/tokens")).hasSize(2);
		callXref("alice");
	}

	private String connection(String username) throws Exception {
		return this.mvc.perform(get("/api/connection").with(user(username)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private void callXref(String username) throws Exception {
		this.mvc.perform(post("/api/auth").with(user(username)).with(csrf())).andExpect(status().isOk());
	}

}
