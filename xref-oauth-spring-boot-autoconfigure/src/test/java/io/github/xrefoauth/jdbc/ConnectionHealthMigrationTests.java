package io.github.xrefoauth.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped scripts that add the connection health columns to account tables created by
 * an earlier schema script, applied on each database.
 */
class ConnectionHealthMigrationTests {

	private static final XrefConnection CONNECTION = new XrefConnection("account-1", "token-1",
			Instant.parse("2026-01-01T10:00:00.123Z"), "alice");

	private TestDatabase database;

	@AfterEach
	void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	static Stream<Arguments> platforms() {
		return Stream.of(Arguments.of("h2", (Supplier<TestDatabase>) TestDatabase::h2),
				Arguments.of("postgresql", (Supplier<TestDatabase>) TestDatabase::postgresql),
				Arguments.of("mysql", (Supplier<TestDatabase>) TestDatabase::mariadb));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("platforms")
	void migratedTablesKeepTheirRowsAndHoldRejectedAccountsAndClaims(String platform,
			Supplier<TestDatabase> databases) {
		this.database = databases.get();
		this.database.jdbc().sql("DROP TABLE xref_tenant").update();
		this.database.jdbc().sql("DROP TABLE xref_account").update();
		// H2 and PostgreSQL had the same tables.
		run("io/github/xrefoauth/jdbc/schema-before-connection-health" + (platform.equals("mysql") ? "-mysql" : "")
				+ ".sql");
		this.database.jdbc()
			.sql("INSERT INTO xref_account (xref_account_id, access_token, token_hash, connected_at, connected_by,"
					+ " key_id) VALUES (?, ?, ?, ?, ?, ?)")
			.params("account-1", TestCiphers.cipher("k1").encrypt("token-1"), TestCiphers.cipher("k1").hash("token-1"),
					CONNECTION.connectedAt().toEpochMilli(), "alice", "k1")
			.update();
		this.database.jdbc()
			.sql("INSERT INTO xref_tenant (tenant_key, xref_account_id) VALUES (?, ?)")
			.params("tenant-a", "account-1")
			.update();

		run("io/github/xrefoauth/jdbc/migrate-0.1.0-connection-health-" + platform + ".sql");

		JdbcXrefAccountStore store = new JdbcXrefAccountStore(this.database.newDataSource(), TestCiphers.cipher("k1"));
		assertThat(store.findByTenant("tenant-a")).contains(CONNECTION);
		Instant now = Instant.parse("2026-02-01T00:00:00Z");
		assertThat(store.claimForCheck(now, Duration.ofMinutes(10), 10)).containsExactly(CONNECTION);
		assertThat(store.reject(CONNECTION, now, RejectedBy.HEALTH_CHECK)).isTrue();
		assertThat(store.status("tenant-a")).isEqualTo(XrefConnectionStatus.reconnectNeeded("account-1",
				CONNECTION.connectedAt(), "alice", now, RejectedBy.HEALTH_CHECK));
		assertThat(store.checkStoredKeys()).isEmpty();
		XrefConnection reconnected = new XrefConnection("account-1", "token-2", now, "bob");
		store.save("tenant-a", reconnected);
		assertThat(store.status("tenant-a")).isEqualTo(XrefConnectionStatus.connected(reconnected));
	}

	private void run(String script) {
		new ResourceDatabasePopulator(new ClassPathResource(script)).execute(this.database.dataSource());
	}

}
