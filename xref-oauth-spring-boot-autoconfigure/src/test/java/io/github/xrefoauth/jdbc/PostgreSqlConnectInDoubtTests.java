package io.github.xrefoauth.jdbc;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectSettling;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.token.XrefTokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL fails a connect's write in a way that leaves its outcome unknown: the driver
 * reports a broken connection at the commit, and new connections are refused, so the
 * store cannot be read back. The connect answers {@code outcome_pending} and nothing is
 * revoked; once PostgreSQL is back, the doubt is settled by what the database holds: a
 * committed token stays valid and in use, an uncommitted one is revoked. A second
 * application instance on the same database, whose connections are not refused, uses a
 * committed token meanwhile.
 */
class PostgreSqlConnectInDoubtTests {

	private static final XrefSimulator xref = XrefSimulator.start()
		.registerClient("client-1", "secret-1", AliceOnPostgreSql.REDIRECT_URI)
		.independentTokens(true);

	private static final List<Object> events = new CopyOnWriteArrayList<>();

	private static TestDatabase database;

	static FaultyPostgreSqlPool dataSource;

	private static ConfigurableApplicationContext instance;

	private static ConfigurableApplicationContext other;

	@BeforeAll
	static void start() {
		database = TestDatabase.postgresql();
		dataSource = new FaultyPostgreSqlPool(database);
		instance = new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run(AliceOnPostgreSql.arguments(xref));
		other = new SpringApplicationBuilder(Other.class).web(WebApplicationType.SERVLET)
			.run(Stream
				.concat(Stream.of("--spring.datasource.url=" + database.url(),
						"--spring.datasource.username=" + database.username()),
						Stream.of(AliceOnPostgreSql.arguments(xref)))
				.toArray(String[]::new));
	}

	@AfterEach
	void databaseIsBack() {
		SecurityContextHolder.clearContext();
		dataSource.afterExchange = null;
		if (dataSource != null) {
			dataSource.recover();
			XrefConnectSettling.settleNow(instance.getBean(XrefConnectManager.class));
			// Through the store, so that no instance keeps the connection in its cache.
			other.getBean(XrefAccountStore.class).deleteAccount("acct-1");
			database.jdbc().sql("DELETE FROM xref_tenant").update();
			database.jdbc().sql("DELETE FROM xref_account").update();
		}
		xref.revokeAccount("acct-1");
		xref.clearRequests();
		events.clear();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (other != null) {
			other.close();
		}
		if (dataSource != null) {
			dataSource.close();
		}
		if (database != null) {
			database.close();
		}
		xref.close();
	}

	@Test
	void writeCommittedButReportedBrokenIsPendingThenSettledAsConnectedWithTheTokenValid() throws Exception {
		dataSource.afterExchange = () -> dataSource.commitThenBreak = true;

		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/?xref_error=outcome_pending");

		assertThat(dataSource.brokeAfterCommit).isTrue();
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(events).isEmpty();
		assertThat(XrefConnectSettling.settleNow(manager())).as("PostgreSQL still refuses").isZero();
		// The other instance reads the committed connection and calls Xref with it:
		// revoking the token in doubt would have broken a working connection.
		AliceOnPostgreSql.signIn();
		assertThat(other.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);

		dataSource.recover();
		assertThat(XrefConnectSettling.settleNow(manager())).isOne();

		String stored = store().findByTenant("alice").orElseThrow().accessToken();
		assertThat(xref.validTokens()).isEqualTo(Set.of(stored));
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(events).singleElement()
			.isInstanceOfSatisfying(XrefConnectedEvent.class,
					(event) -> assertThat(event.xrefAccountId()).isEqualTo("acct-1"));
		AliceOnPostgreSql.signIn();
		assertThat(instance.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);
	}

	@Test
	void writeBrokenBeforeTheCommitIsPendingThenSettledByRevokingTheToken() throws Exception {
		dataSource.afterExchange = () -> dataSource.breakBeforeCommit = true;

		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/?xref_error=outcome_pending");

		assertThat(dataSource.brokeBeforeCommit).isTrue();
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(xref.validTokens()).as("kept aside, not yet revoked").hasSize(1);
		assertThat(other.getBean(XrefAccountStore.class).findByTenant("alice")).as("on the other instance").isEmpty();

		dataSource.recover();
		assertThat(XrefConnectSettling.settleNow(manager())).isOne();

		assertThat(store().findByTenant("alice")).isEmpty();
		assertThat(store().findByAccount("acct-1")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
		assertThat(events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event.reason()).isEqualTo(XrefConnectFailure.STORE_FAILED));
	}

	private static XrefConnectManager manager() {
		return instance.getBean(XrefConnectManager.class);
	}

	private static XrefAccountStore store() {
		return instance.getBean(XrefAccountStore.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Instance {

		@Bean
		DataSource dataSource() {
			return dataSource;
		}

		@Bean
		static BeanPostProcessor settledByTheTestOnly() {
			return XrefConnectSettling.settledByTheTestOnly();
		}

		@EventListener
		void record(Object event) {
			if (event instanceof XrefConnectedEvent || event instanceof XrefConnectFailedEvent) {
				events.add(event);
			}
		}

		@Bean
		XrefTokenClient doubtAfterExchange(
				@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
			return dataSource.tokenClient(registration);
		}

	}

	/**
	 * The other application instance: the same database, through a pool of its own.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Other {

	}

}
