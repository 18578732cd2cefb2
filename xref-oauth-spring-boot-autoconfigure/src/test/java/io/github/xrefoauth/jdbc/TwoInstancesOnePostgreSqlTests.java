package io.github.xrefoauth.jdbc;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Two application instances, two application contexts that share nothing but one
 * PostgreSQL database: a connect started on one completes on the other, and the first
 * then calls Xref with the stored token.
 */
class TwoInstancesOnePostgreSqlTests {

	private static final String REDIRECT_URI = "http://localhost/integrations/xref";

	private final XrefSimulator xref = XrefSimulator.start().registerClient("client-1", "secret-1", REDIRECT_URI);

	private TestDatabase database;

	private ConfigurableApplicationContext instanceA;

	private ConfigurableApplicationContext instanceB;

	private Cookie browser;

	@BeforeEach
	void startInstances() {
		this.database = TestDatabase.postgresql();
		this.instanceA = start();
		this.instanceB = start();
	}

	@AfterEach
	void stopInstances() {
		SecurityContextHolder.clearContext();
		Stream.of(this.instanceA, this.instanceB)
			.filter(Objects::nonNull)
			.forEach(ConfigurableApplicationContext::close);
		if (this.database != null) {
			this.database.close();
		}
		this.xref.close();
	}

	@Test
	void connectStartedOnOneInstanceCompletesOnTheOther() throws Exception {
		String callback = startConnectOn(this.instanceA);

		assertThat(callbackOn(this.instanceB, callback)).isEqualTo("/");

		assertThat(this.xref.requests("/oauth/tokens")).hasSize(1);
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
		XrefConnectionService connectionsOnA = this.instanceA.getBean(XrefConnectionService.class);
		XrefConnection connection = connectionsOnA.current().orElseThrow();
		assertThat(connection.xrefAccountId()).isEqualTo("acct-1");
		assertThat(connection.connectedBy()).isEqualTo("alice");
		assertThat(connectionsOnA.verify()).isEqualTo(XrefVerification.ACCEPTED);
		assertThat(this.xref.requests("/auth")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
				.isEqualTo("Token " + connection.accessToken()));
	}

	@Test
	void callbackReplayedOnTheOtherInstanceIsRejected() throws Exception {
		String callback = startConnectOn(this.instanceA);
		assertThat(callbackOn(this.instanceA, callback)).isEqualTo("/");

		assertThat(callbackOn(this.instanceB, callback)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void reconnectOnAnInstanceThatReadAnOlderTokenRevokesTheTokenItReplaced() throws Exception {
		// Every token stays valid until it is revoked, so a token that no store holds
		// shows at Xref.
		this.xref.independentTokens(true);
		assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
		String t1 = storedToken();
		signInAlice();
		assertThat(this.instanceB.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);
		assertThat(this.instanceB.getBean(XrefAccountStore.class).findByAccount("acct-1"))
			.map(XrefConnection::accessToken)
			.contains(t1);

		assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
		String t2 = storedToken();
		assertThat(this.xref.validTokens()).containsExactly(t2);

		assertThat(callbackOn(this.instanceB, startConnectOn(this.instanceB))).isEqualTo("/");
		String t3 = storedToken();
		assertThat(t3).isNotIn(t1, t2);
		assertThat(this.xref.validTokens()).containsExactly(t3);
		assertThat(this.xref.requests("/oauth/deauthorize")).map((request) -> request.getHeaders().get("Authorization"))
			.containsExactly("Token " + t1, "Token " + t2);
	}

	@Test
	void tenantThatMovesToAnotherAccountOnTheOtherInstanceEndsTheAccountItLeft() throws Exception {
		this.xref.independentTokens(true);
		assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
		String t1 = storedToken();
		signInAlice();
		assertThat(this.instanceA.getBean(XrefConnectionService.class).current()).isPresent();

		String callback = this.xref.approve(startConnectRedirectOn(this.instanceB), "acct-2");
		assertThat(callbackOn(this.instanceB, callback)).isEqualTo("/");

		assertThat(this.database.jdbc().sql("SELECT xref_account_id FROM xref_account").query(String.class).list())
			.containsExactly("acct-2");
		assertThat(this.xref.validTokens()).doesNotContain(t1).hasSize(1);
		assertThat(this.xref.requests("/oauth/deauthorize")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + t1));
		assertThat(this.instanceB.getBean(RecordedEvents.class).disconnected).containsExactly(new XrefDisconnectedEvent(
				"alice", "acct-1", "alice", this.instanceB.getBean(RecordedEvents.class).disconnected.get(0).time()));
	}

	@Test
	void disconnectOrForgetOnOneInstanceIsInForceOnTheOtherOnceItReadsTheChangeFeed() throws Exception {
		for (boolean forget : new boolean[] { false, true }) {
			assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
			signInAlice();
			XrefConnectionService onB = this.instanceB.getBean(XrefConnectionService.class);
			assertThat(onB.current()).as("cached on B").isPresent();

			XrefConnectionService onA = this.instanceA.getBean(XrefConnectionService.class);
			if (forget) {
				onA.forget();
			}
			else {
				onA.disconnect();
			}
			// The cache's time to live (30 s) has not passed: only the feed can tell B.
			((JdbcXrefAccountStore) this.instanceB.getBean(XrefAccountStore.class)).pollChanges();

			assertThat(onB.current()).as(forget ? "after forget" : "after disconnect").isEmpty();
		}
	}

	private String storedToken() {
		return this.database.jdbc()
			.sql("SELECT access_token FROM xref_account WHERE xref_account_id = 'acct-1'")
			.query((rs, rowNum) -> this.instanceA.getBean(XrefTokenCipher.class).decrypt(rs.getString(1)))
			.single();
	}

	private static void signInAlice() {
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
	}

	/**
	 * Alice presses Connect on one instance and allows at Xref; returns the callback URL.
	 */
	private String startConnectOn(ConfigurableApplicationContext instance) throws Exception {
		return this.xref.approve(startConnectRedirectOn(instance), "acct-1");
	}

	/**
	 * Alice presses Connect on one instance; returns where she is sent at Xref.
	 */
	private String startConnectRedirectOn(ConfigurableApplicationContext instance) throws Exception {
		MockHttpServletResponse redirect = mvc(instance).perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andReturn()
			.getResponse();
		this.browser = redirect.getCookie("XREF_CONNECT");
		return Objects.requireNonNull(redirect.getRedirectedUrl());
	}

	/**
	 * Alice's browser follows Xref's redirect to an instance; returns where she lands.
	 */
	private String callbackOn(ConfigurableApplicationContext instance, String callback) throws Exception {
		return mvc(instance).perform(get(URI.create(callback)).cookie(this.browser).with(user("alice")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--spring.datasource.url=" + this.database.url(),
					"--spring.datasource.username=" + this.database.username(), "--xref.oauth.client-id=client-1",
					"--xref.oauth.client-secret=secret-1", "--xref.oauth.redirect-uri=" + REDIRECT_URI,
					"--xref.oauth.login-uri=" + this.xref.baseUrl(), "--xref.oauth.api-uri=" + this.xref.baseUrl(),
					"--xref.oauth.store.type=jdbc", "--xref.oauth.store.jdbc.initialize-schema=never",
					"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=");
	}

	private static MockMvc mvc(ConfigurableApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).apply(springSecurity()).build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(RecordedEvents.class)
	static class Instance {

	}

	/**
	 * The disconnects an instance published.
	 */
	static class RecordedEvents {

		final List<XrefDisconnectedEvent> disconnected = new CopyOnWriteArrayList<>();

		@EventListener
		void on(XrefDisconnectedEvent event) {
			this.disconnected.add(event);
		}

	}

}
