package io.github.xrefoauth.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefBusyException;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefRestoredEvent;
import io.github.xrefoauth.event.XrefRevokedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.Mockito;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.willThrow;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * The sample's login, tenant mapping and messages, without a browser, with an Xref that
 * cannot be reached and, in some tests, a database that fails.
 */
@SpringBootTest(properties = "sample.simulator.enabled=false")
@AutoConfigureMockMvc
class SampleApplicationTests {

	private static final String ACCOUNT_ID = "acme-account";

	/**
	 * This test context's own database, named once: a dynamic property's supplier runs on
	 * every read.
	 */
	private static final String DATABASE_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private XrefTenantResolver tenantResolver;

	@Autowired
	private ApplicationEventPublisher events;

	@MockitoSpyBean
	private XrefAccountStore accountStore;

	@Autowired
	private DataSource dataSource;

	@MockitoSpyBean
	private XrefConnectionService connectionService;

	@Autowired
	private UserDetailsService users;

	@DynamicPropertySource
	static void unreachableXrefAndOwnDatabase(DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.api-uri", () -> "http://127.0.0.1:" + closedPort());
		registry.add("spring.datasource.url", () -> DATABASE_URL);
	}

	@AfterEach
	void forgetTheConnection() {
		Mockito.reset(this.accountStore, this.connectionService);
		this.accountStore.deleteAccount(ACCOUNT_ID);
	}

	@Test
	void dashboardSendsAnonymousVisitorsToLogin() {
		assertThat(this.mvc.get().uri("/")).hasStatus3xxRedirection().hasRedirectedUrl("/login");
	}

	@Test
	void aliceAndBobShareATenantAndCarolHasAnother() {
		assertThat(tenantOf("alice")).isEqualTo("acme");
		assertThat(tenantOf("bob")).isEqualTo("acme");
		assertThat(tenantOf("carol")).isEqualTo("globex");
	}

	@Test
	void dashboardOffersConnectToATenantWithoutConnection() {
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("Logged in as <strong id=\"user\">carol</strong>")
			.contains("id=\"not-connected\"")
			.contains("href=\"/oauth2/authorization/xref\"")
			.doesNotContain("Reconnect needed");
	}

	@Test
	void dashboardExplainsADeniedConnect() {
		assertThat(this.mvc.get().uri("/?xref_error=access_denied").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.DENIED.getText());
	}

	@Test
	void dashboardNeverEchoesAnUnknownFailureCode() {
		assertThat(this.mvc.get().uri("/").param("xref_error", "<b>injected</b>").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.CONNECT_FAILED.getText())
			.doesNotContain("injected");
	}

	@ParameterizedTest
	@EnumSource(XrefConnectFailure.class)
	void dashboardExplainsEveryConnectFailureInItsOwnWords(XrefConnectFailure failure) {
		Notice notice = Notice.ofConnectFailure(failure.code());
		assertThat(notice).isNotEqualTo(Notice.CONNECT_FAILED);
		assertThat(this.mvc.get().uri("/").param("xref_error", failure.code()).with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(notice.getText());
	}

	@Test
	void dashboardSaysAConnectInDoubtIsBeingChecked() {
		assertThat(this.mvc.get().uri("/?xref_error=outcome_pending").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("We are checking whether your Xref account was connected. Refresh this page in a moment.");
	}

	@Test
	void databaseThatRefusesConnectionsFailsAPageWithinThreeSeconds() {
		assertThat(this.dataSource).isInstanceOfSatisfying(HikariDataSource.class,
				(pool) -> assertThat(pool.getConnectionTimeout()).isEqualTo(3_000));
	}

	@Test
	void dashboardExplainsAConnectThatCouldNotStart() {
		assertThat(this.mvc.get().uri("/?xref_error=start_failed").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.START_FAILED.getText());
	}

	@Test
	void verifyWhenXrefIsUnreachableKeepsTheConnectionAndSaysSo() {
		connectAcme();
		assertThat(this.mvc.post().uri("/xref/verify").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.XREF_UNAVAILABLE);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
	}

	@Test
	void disconnectWhenXrefIsUnreachableKeepsTheConnectionAndSaysSo() {
		connectAcme();
		assertThat(this.mvc.post().uri("/xref/disconnect").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.XREF_UNAVAILABLE);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
		assertThat(this.mvc.get().uri("/").with(user("alice"))).hasStatusOk()
			.bodyText()
			.contains("id=\"xref-account-id\">" + ACCOUNT_ID + "<");
	}

	@Test
	void verifyWhenTheDatabaseFailsSaysSo() {
		connectAcme();
		databaseFails();
		assertThat(this.mvc.post().uri("/xref/verify").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.STORE_UNAVAILABLE);
	}

	@Test
	void disconnectWhenTheDatabaseFailsSaysSo() {
		connectAcme();
		databaseFails();
		assertThat(this.mvc.post().uri("/xref/disconnect").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.STORE_UNAVAILABLE);
		Mockito.reset(this.accountStore);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
	}

	@Test
	void dashboardWhenTheDatabaseFailsSaysSoAndOffersNoConnect() {
		databaseFails();
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.STORE_UNAVAILABLE.getText())
			.contains("id=\"connection-unknown\"")
			.doesNotContain("href=\"/oauth2/authorization/xref\"");
	}

	@Test
	void tokenOfAKeyThatIsNotConfiguredIsShownAsAStoreFailureAndKept() {
		// Written after start-up by an instance with a key this one lacks.
		JdbcClient jdbc = JdbcClient.create(this.dataSource);
		jdbc.sql("INSERT INTO xref_account (xref_account_id, access_token, token_hash, connected_at, connected_by,"
				+ " key_id) VALUES (?, ?, ?, ?, ?, ?)")
			.params(ACCOUNT_ID, "k9:" + "A".repeat(64), "0".repeat(64), 0L, "alice", "k9")
			.update();
		jdbc.sql("INSERT INTO xref_tenant (tenant_key, xref_account_id) VALUES (?, ?)")
			.params("acme", ACCOUNT_ID)
			.update();
		assertThat(this.mvc.get().uri("/").with(user("alice"))).hasStatusOk()
			.bodyText()
			.contains(Notice.STORE_UNAVAILABLE.getText())
			.doesNotContain("k9:");
		for (String action : new String[] { "/xref/verify", "/xref/disconnect" }) {
			assertThat(this.mvc.post().uri(action).with(user("bob")).with(csrf())).as(action)
				.hasStatus3xxRedirection()
				.flash()
				.containsEntry("notice", Notice.STORE_UNAVAILABLE);
		}
		assertThat(jdbc.sql("SELECT COUNT(*) FROM xref_account").query(Integer.class).single()).isOne();
	}

	@Test
	void dashboardOpenedAtAnotherHostSendsTheUserToTheRedirectUrisHost() {
		assertThat(this.mvc.get().uri("http://127.0.0.1:8080/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("id=\"wrong-host\"")
			.contains("href=\"http://localhost:8080/\"");
		assertThat(this.mvc.get().uri("http://localhost:8080/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.doesNotContain("id=\"wrong-host\"");
	}

	@Test
	void verifyWhenXrefIsBusyKeepsTheConnectionAndSaysSo() {
		connectAcme();
		willThrow(new XrefBusyException(50)).given(this.connectionService).verify();
		assertThat(this.mvc.post().uri("/xref/verify").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.XREF_BUSY);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
	}

	@Test
	void disconnectWhenXrefIsBusyKeepsTheConnectionAndSaysSo() {
		connectAcme();
		willThrow(new XrefBusyException(50)).given(this.connectionService).disconnect();
		assertThat(this.mvc.post().uri("/xref/disconnect").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.XREF_BUSY);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
	}

	@Test
	void dashboardListsTheLastEventsOfTheTenantOnly() {
		this.events.publishEvent(new XrefConnectedEvent("acme", "acct-from-event", "alice", Instant.now()));
		assertThat(this.mvc.get().uri("/integrations/xref?state=unknown&code=abc").with(user("bob")))
			.hasStatus3xxRedirection();

		assertThat(this.mvc.get().uri("/").with(user("bob"))).hasStatusOk()
			.bodyText()
			.contains("Connected Xref account acct-from-event by alice")
			.contains("Connect failed (invalid_state) by bob");
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.doesNotContain("acct-from-event")
			.doesNotContain("by bob");
		for (int i = 0; i < 15; i++) {
			this.events.publishEvent(new XrefConnectedEvent("globex", "acct-" + i, "carol", Instant.now()));
		}
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("acct-14 by carol", "acct-5 by carol")
			.doesNotContain("acct-4 by carol");
	}

	@Test
	void dashboardShowsAConnectedTenantsAccountWithVerifyAndDisconnect() {
		connectAcme();
		assertThat(this.mvc.get().uri("/").with(user("bob"))).hasStatusOk()
			.bodyText()
			.contains("id=\"connected\"")
			.contains("id=\"xref-account-id\">" + ACCOUNT_ID + "<")
			.contains("id=\"connected-by\">alice<")
			.contains("id=\"verify\"")
			.doesNotContain("Reconnect needed")
			.doesNotContain("id=\"not-connected\"");
	}

	@ParameterizedTest
	@EnumSource(RejectedBy.class)
	void dashboardShowsATokenThatXrefRejectedAsReconnectNeededWithWhenAndWhichCallFoundIt(RejectedBy rejectedBy) {
		XrefConnection connection = connectAcme();
		this.accountStore.reject(connection, Instant.parse("2026-03-03T10:15:30Z"), rejectedBy);
		String words = switch (rejectedBy) {
			case HEALTH_CHECK -> "found by the health check";
			case VERIFY -> "found by Verify";
			case API_CALL -> "found by an API call";
		};
		assertThat(this.mvc.get().uri("/").with(user("bob"))).hasStatusOk()
			.bodyText()
			.contains("Reconnect needed")
			.contains("id=\"xref-account-id\">" + ACCOUNT_ID + "<")
			.contains("id=\"connected-by\">alice<")
			.contains("id=\"rejected-at\">2026-03-03 10:15:30 UTC<")
			.contains("id=\"found-by\">" + words + "<")
			.contains("<a id=\"reconnect\" class=\"button primary\" href=\"/oauth2/authorization/xref\">")
			.contains("action=\"/xref/disconnect\"")
			.doesNotContain("id=\"connected\"")
			.doesNotContain("id=\"verify\"")
			.doesNotContain("id=\"not-connected\"");
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("id=\"not-connected\"")
			.doesNotContain("Reconnect needed");
	}

	@Test
	void disconnectOfAConnectionThatNeedsAReconnectRemovesItAndSaysNothingWasRevoked() {
		XrefConnection connection = connectAcme();
		this.accountStore.reject(connection, Instant.now(), RejectedBy.VERIFY);
		assertThat(this.mvc.post().uri("/xref/disconnect").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.REMOVED);
		assertThat(this.mvc.get().uri("/").with(user("bob"))).hasStatusOk()
			.bodyText()
			.contains("id=\"not-connected\"")
			.doesNotContain("Reconnect needed");
	}

	@Test
	void activityOfEveryLinkedTenantShowsARevocationFoundByTheHealthCheckAndTheRestore() {
		Instant now = Instant.now();
		this.events.publishEvent(new XrefRevokedEvent(null, "acct-shared", null, now, List.of("acme", "globex"),
				RejectedBy.HEALTH_CHECK));
		this.events.publishEvent(new XrefRestoredEvent("acme", "acct-shared", "alice", now, List.of("acme", "globex")));
		for (String endUser : new String[] { "bob", "carol" }) {
			assertThat(this.mvc.get().uri("/").with(user(endUser))).as(endUser)
				.hasStatusOk()
				.bodyText()
				.contains("Xref rejected the token of Xref account acct-shared, found by the health check:"
						+ " a reconnect is needed")
				.contains("Reconnected Xref account acct-shared by alice: it works again");
		}
	}

	@Test
	void activityShowsARevocationFoundByVerifyOnceForTheTenantThatVerified() {
		this.events.publishEvent(new XrefRevokedEvent("globex", "acct-verified", "carol", Instant.now(),
				List.of("globex"), RejectedBy.VERIFY));
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.containsOnlyOnce("Xref rejected the token of Xref account acct-verified, found by Verify");
		assertThat(this.mvc.get().uri("/").with(user("alice"))).hasStatusOk()
			.bodyText()
			.doesNotContain("acct-verified");
	}

	@Test
	void healthRoundRunNowByTheOperatorCountsAConnectionXrefDidNotAnswerForAsNotChecked() {
		connectAcme();
		assertThat(this.mvc.post().uri("/operations/health-round").with(user(demoUser("operator"))).with(csrf()))
			.hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", new HealthRoundController.RoundNotice(false,
					"Health round: 0 checked, 0 broken, 1 could not be checked."));
		assertThat(this.mvc.get().uri("/").with(user("alice"))).hasStatusOk()
			.bodyText()
			.contains("id=\"connected\"")
			.doesNotContain("Reconnect needed");
	}

	@Test
	void onlyTheOperatorReadsTheXrefEndpointWithItsCountsAcrossTenants() {
		connectAcme();
		assertThat(this.mvc.get().uri("/actuator/xref")).hasStatus3xxRedirection();
		for (String endUser : new String[] { "alice", "carol" }) {
			assertThat(this.mvc.get().uri("/actuator/xref").with(user(demoUser(endUser)))).as(endUser)
				.hasStatus(HttpStatus.FORBIDDEN);
		}
		assertThat(this.mvc.get().uri("/actuator/xref").with(user(demoUser("operator")))).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.store.connectedAccounts", (count) -> count.assertThat().isEqualTo(1))
			.hasPathSatisfying("$.store.connectedTenants", (count) -> count.assertThat().isEqualTo(1))
			.hasPathSatisfying("$.registration.redirect_url",
					(url) -> url.assertThat().isEqualTo("http://localhost:8080/integrations/xref"))
			.hasPathSatisfying("$.store.implementation",
					(implementation) -> implementation.assertThat().asString().endsWith("JdbcXrefAccountStore"));
		assertThat(this.mvc.get().uri("/actuator/xref").with(user(demoUser("operator")))).bodyText()
			.doesNotContain("sample-platform-secret")
			.doesNotContain("\"token\"");
	}

	@Test
	void healthIsForLoggedInUsersAndOtherEndpointsAreNotExposed() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatus3xxRedirection();
		assertThat(this.mvc.get().uri("/actuator/health").with(user(demoUser("alice")))).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/env").with(user(demoUser("operator")))).hasStatus(404);
	}

	@Test
	void dashboardOfTheOperatorLinksToTheXrefEndpointAndOffersNoConnect() {
		assertThat(this.mvc.get().uri("/").with(user(demoUser("operator")))).hasStatusOk()
			.bodyText()
			.contains("id=\"no-tenant\"")
			.contains("id=\"tenantless\"")
			.contains("href=\"/actuator/xref\"")
			.doesNotContain("href=\"/oauth2/authorization/xref\"");
		assertThat(this.mvc.get().uri("/").with(user(demoUser("alice")))).hasStatusOk()
			.bodyText()
			.doesNotContain("/actuator/xref");
	}

	@Test
	void operatorBelongsToNoTenantSoItsConnectIsRefusedBeforeXref() {
		assertThat(this.tenantResolver.resolveTenant(new TestingAuthenticationToken("operator", null, "ROLE_OPERATOR")))
			.isNull();
		assertThat(this.mvc.get().uri("/oauth2/authorization/xref").with(user(demoUser("operator"))))
			.hasStatus3xxRedirection()
			.hasRedirectedUrl("/?xref_error=no_tenant");
		assertThat(this.mvc.get().uri("/?xref_error=no_tenant").with(user(demoUser("operator")))).hasStatusOk()
			.bodyText()
			.contains(Notice.NO_TENANT.getText());
	}

	@Test
	void verifyRequiresTheCsrfToken() {
		assertThat(this.mvc.post().uri("/xref/verify").with(user("alice"))).hasStatus(403);
	}

	/**
	 * The demo user as the sample configures it, with its roles.
	 */
	private UserDetails demoUser(String username) {
		return this.users.loadUserByUsername(username);
	}

	private XrefConnection connectAcme() {
		XrefConnection connection = new XrefConnection(ACCOUNT_ID, "token", Instant.now(), "alice");
		this.accountStore.save("acme", connection);
		return connection;
	}

	private void databaseFails() {
		willThrow(new DataAccessResourceFailureException("Connection refused")).given(this.accountStore)
			.findByTenant(anyString());
		willThrow(new DataAccessResourceFailureException("Connection refused")).given(this.accountStore)
			.status(anyString());
	}

	private String tenantOf(String username) {
		return this.tenantResolver.resolveTenant(new TestingAuthenticationToken(username, null, "ROLE_USER"));
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
