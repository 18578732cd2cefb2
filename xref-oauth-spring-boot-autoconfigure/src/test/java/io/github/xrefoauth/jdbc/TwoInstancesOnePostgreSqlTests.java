package io.github.xrefoauth.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances, two application contexts that share nothing but one
 * PostgreSQL database: a connect started on one completes on the other, and the first
 * then calls Xref with the stored token.
 */
class TwoInstancesOnePostgreSqlTests {

	private AliceOnPostgreSql alice;

	private ConfigurableApplicationContext instanceA;

	private ConfigurableApplicationContext instanceB;

	@BeforeEach
	void startInstances() {
		this.alice = new AliceOnPostgreSql();
		this.instanceA = this.alice.start(Instance.class);
		this.instanceB = this.alice.start(Instance.class);
	}

	@AfterEach
	void stopInstances() {
		if (this.alice != null) {
			this.alice.close();
		}
	}

	@Test
	void connectStartedOnOneInstanceCompletesOnTheOther() throws Exception {
		String callback = this.alice.startConnectOn(this.instanceA);

		assertThat(this.alice.callbackOn(this.instanceB, callback)).isEqualTo("/");

		assertThat(this.alice.xref.requests("/oauth/tokens")).hasSize(1);
		AliceOnPostgreSql.signIn();
		XrefConnectionService connectionsOnA = this.instanceA.getBean(XrefConnectionService.class);
		XrefConnection connection = connectionsOnA.current().orElseThrow();
		assertThat(connection.xrefAccountId()).isEqualTo("acct-1");
		assertThat(connection.connectedBy()).isEqualTo("alice");
		assertThat(connectionsOnA.verify()).isEqualTo(XrefVerification.ACCEPTED);
		assertThat(this.alice.xref.requests("/auth")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
				.isEqualTo("Token " + connection.accessToken()));
	}

	@Test
	void callbackReplayedOnTheOtherInstanceIsRejected() throws Exception {
		String callback = this.alice.startConnectOn(this.instanceA);
		assertThat(this.alice.callbackOn(this.instanceA, callback)).isEqualTo("/");

		assertThat(this.alice.callbackOn(this.instanceB, callback)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.alice.xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void reconnectOnAnInstanceThatReadAnOlderTokenRevokesTheTokenItReplaced() throws Exception {
		// Every token stays valid until it is revoked, so a token that no store holds
		// shows at Xref.
		this.alice.xref.independentTokens(true);
		assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
		String t1 = this.alice.storedToken();
		AliceOnPostgreSql.signIn();
		assertThat(this.instanceB.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);
		assertThat(this.instanceB.getBean(XrefAccountStore.class).findByAccount("acct-1"))
			.map(XrefConnection::accessToken)
			.contains(t1);

		assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
		String t2 = this.alice.storedToken();
		assertThat(this.alice.xref.validTokens()).containsExactly(t2);

		assertThat(this.alice.callbackOn(this.instanceB, this.alice.startConnectOn(this.instanceB))).isEqualTo("/");
		String t3 = this.alice.storedToken();
		assertThat(t3).isNotIn(t1, t2);
		assertThat(this.alice.xref.validTokens()).containsExactly(t3);
		assertThat(this.alice.xref.requests("/oauth/deauthorize"))
			.map((request) -> request.getHeaders().get("Authorization"))
			.containsExactly("Token " + t1, "Token " + t2);
	}

	@Test
	void tenantThatMovesToAnotherAccountOnTheOtherInstanceEndsTheAccountItLeft() throws Exception {
		this.alice.xref.independentTokens(true);
		assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
		String t1 = this.alice.storedToken();
		AliceOnPostgreSql.signIn();
		assertThat(this.instanceA.getBean(XrefConnectionService.class).current()).isPresent();

		String callback = this.alice.xref.approve(this.alice.startConnectRedirectOn(this.instanceB), "acct-2");
		assertThat(this.alice.callbackOn(this.instanceB, callback)).isEqualTo("/");

		assertThat(
				this.alice.database.jdbc().sql("SELECT xref_account_id FROM xref_account").query(String.class).list())
			.containsExactly("acct-2");
		assertThat(this.alice.xref.validTokens()).doesNotContain(t1).hasSize(1);
		assertThat(this.alice.xref.requests("/oauth/deauthorize")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + t1));
		assertThat(this.instanceB.getBean(RecordedEvents.class).disconnected).containsExactly(new XrefDisconnectedEvent(
				"alice", "acct-1", "alice", this.instanceB.getBean(RecordedEvents.class).disconnected.get(0).time()));
	}

	@Test
	void disconnectOrForgetOnOneInstanceIsInForceOnTheOtherOnceItReadsTheChangeFeed() throws Exception {
		for (boolean forget : new boolean[] { false, true }) {
			assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
			AliceOnPostgreSql.signIn();
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
