package io.github.xrefoauth.jdbc;

import java.util.Set;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.token.XrefTokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away right after Xref issued a token: every backend of the
 * application's pool is terminated with {@code pg_terminate_backend} from a second
 * connection, and new connections are refused or not. No token is left valid at Xref that
 * the store does not hold, a token the store holds is never revoked, and a write that
 * committed before its connection died is a success.
 */
class PostgreSqlOutageAfterTokenExchangeTests {

	private static final XrefSimulator xref = XrefSimulator.start()
		.registerClient("client-1", "secret-1", AliceOnPostgreSql.REDIRECT_URI)
		.independentTokens(true);

	private static TestDatabase database;

	static FaultyPostgreSqlPool dataSource;

	private static ConfigurableApplicationContext instance;

	@BeforeAll
	static void start() {
		database = TestDatabase.postgresql();
		dataSource = new FaultyPostgreSqlPool(database);
		instance = new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run(AliceOnPostgreSql.arguments(xref));
	}

	@AfterEach
	void databaseIsBack() {
		dataSource.afterExchange = null;
		if (dataSource != null) {
			dataSource.recover();
			// Through the store, which evicts what the instance cached.
			store().deleteAccount("acct-1");
			database.jdbc().sql("DELETE FROM xref_account").update();
		}
		xref.revokeAccount("acct-1");
		xref.clearRequests();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
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
	void databaseGoneAfterTheExchangeLeavesNoTokenValidThatTheStoreDoesNotHold() throws Exception {
		dataSource.afterExchange = dataSource::terminateAndRefuse;

		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/?xref_error=store_failed");

		dataSource.recover();
		assertThat(store().findByTenant("alice")).isEmpty();
		assertThat(store().findByAccount("acct-1")).isEmpty();
		assertThat(xref.validTokens()).isEmpty();
	}

	@Test
	void databaseGoneDuringAReconnectKeepsTheTokenItHoldsValid() throws Exception {
		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/");
		String held = store().findByTenant("alice").orElseThrow().accessToken();
		dataSource.afterExchange = dataSource::terminateAndRefuse;

		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/?xref_error=store_failed");

		dataSource.recover();
		assertThat(store().findByTenant("alice")).get().extracting(XrefConnection::accessToken).isEqualTo(held);
		assertThat(xref.validTokens()).isEqualTo(Set.of(held));
	}

	@Test
	void backendTerminatedAfterTheCommitIsASuccess() throws Exception {
		dataSource.afterExchange = () -> dataSource.dieAfterNextCommit = true;

		assertThat(AliceOnPostgreSql.connect(instance, xref)).isEqualTo("/");

		assertThat(dataSource.diedAfterCommit).isTrue();
		XrefConnection stored = store().findByTenant("alice").orElseThrow();
		assertThat(xref.validTokens()).isEqualTo(Set.of(stored.accessToken()));
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
	}

	private XrefAccountStore store() {
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
		XrefTokenClient outageAfterExchange(
				@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
			return dataSource.tokenClient(registration);
		}

	}

}
