package io.github.xrefoauth.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.account.jdbc.XrefTokenCipher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the JDBC store adds to the contract: encryption at rest, key rotation, restarts,
 * several instances on one database, the read cache and failed writes.
 */
abstract class JdbcStoreTests {

	private static final String TOKEN = "cb6f0e5d9a8b4c3d2e1f0a9b8c7d1e31";

	private TestDatabase database;

	abstract TestDatabase createDatabase();

	@BeforeEach
	void createDatabaseUnderTest() {
		this.database = createDatabase();
	}

	@AfterEach
	void closeDatabase() {
		this.database.close();
	}

	@Test
	void rawTablesHoldNoTokenInPlainText() {
		JdbcXrefAccountStore store = store(this.database.dataSource(), "k1");
		store.save("tenant-a", connection(TOKEN));
		List<Map<String, Object>> rows = this.database.jdbc().sql("SELECT * FROM xref_account").query().listOfRows();
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).values()).allSatisfy((value) -> assertThat(String.valueOf(value)).doesNotContain(TOKEN));
		assertThat(storedTokens()).singleElement().asString().startsWith("k1:");
		assertThat(store.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains(TOKEN);
	}

	@Test
	void keyRotationReencryptsEveryRowToTheCurrentKey() {
		store(this.database.dataSource(), "k1").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore rotated = store(this.database.newDataSource(), "k2", "k1");
		assertThat(rotated.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains(TOKEN);
		rotated.save("tenant-b", new XrefConnection("account-2", "token-2", Instant.EPOCH, "bob"));
		assertThat(storedTokens()).filteredOn((value) -> value.startsWith("k1:")).hasSize(1);
		assertThat(rotated.reencryptAll()).isEqualTo(1);
		assertThat(rotated.reencryptAll()).isZero();
		assertThat(storedTokens()).hasSize(2).allSatisfy((value) -> assertThat(value).startsWith("k2:"));
		JdbcXrefAccountStore withoutOldKey = store(this.database.newDataSource(), "k2");
		assertThat(withoutOldKey.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains(TOKEN);
		assertThat(withoutOldKey.deleteByAccessToken(TOKEN)).isTrue();
		assertThat(withoutOldKey.findByTenant("tenant-b")).map(XrefConnection::accessToken).contains("token-2");
	}

	@Test
	void plaintextRowsAreEncryptedOnceKeysAreConfigured() {
		new JdbcXrefAccountStore(this.database.dataSource(), XrefTokenCipher.plaintext()).save("tenant-a",
				connection(TOKEN));
		assertThat(storedTokens()).containsExactly("plain:" + TOKEN);
		JdbcXrefAccountStore encrypted = store(this.database.newDataSource(), "k1");
		assertThat(encrypted.reencryptAll()).isEqualTo(1);
		assertThat(storedTokens()).singleElement().asString().startsWith("k1:").doesNotContain(TOKEN);
		assertThat(encrypted.deleteByAccessToken(TOKEN)).isTrue();
	}

	@Test
	void restartedInstanceFindsTheStoredToken() {
		store(this.database.dataSource(), "k1").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore restarted = store(this.database.newDataSource(), "k1");
		assertThat(restarted.findByTenant("tenant-a")).contains(connection(TOKEN));
		assertThat(restarted.findByAccount("account-1")).contains(connection(TOKEN));
	}

	@Test
	void disconnectOnAnotherInstanceIsSeenOnceTheCacheTimeToLiveHasPassed() {
		MutableClock clock = new MutableClock();
		JdbcXrefAccountStore instanceA = store(this.database.dataSource(), "k1");
		instanceA.setClock(clock);
		JdbcXrefAccountStore instanceB = store(this.database.newDataSource(), "k1");
		instanceA.save("tenant-a", connection(TOKEN));
		assertThat(instanceA.findByTenant("tenant-a")).isPresent();
		instanceB.deleteAccount("account-1");
		clock.advance(Duration.ofSeconds(29));
		assertThat(instanceA.findByTenant("tenant-a")).as("cached within the time to live").isPresent();
		clock.advance(Duration.ofSeconds(1));
		assertThat(instanceA.findByTenant("tenant-a")).isEmpty();
	}

	@Test
	void connectOnAnotherInstanceIsSeenAtOnce() {
		JdbcXrefAccountStore instanceA = store(this.database.dataSource(), "k1");
		JdbcXrefAccountStore instanceB = store(this.database.newDataSource(), "k1");
		assertThat(instanceA.findByTenant("tenant-a")).isEmpty();
		instanceB.save("tenant-a", connection(TOKEN));
		assertThat(instanceA.findByTenant("tenant-a")).contains(connection(TOKEN));
	}

	@Test
	void rejectedTokenRefreshesTheCacheWithTheNewerTokenOfAnotherInstance() {
		JdbcXrefAccountStore instanceA = store(this.database.dataSource(), "k1");
		JdbcXrefAccountStore instanceB = store(this.database.newDataSource(), "k1");
		instanceA.save("tenant-a", connection(TOKEN));
		assertThat(instanceA.findByTenant("tenant-a")).contains(connection(TOKEN));
		instanceB.save("tenant-a", connection("token-2"));
		assertThat(instanceA.deleteByAccessToken(TOKEN)).isFalse();
		assertThat(instanceA.findByTenant("tenant-a")).contains(connection("token-2"));
	}

	@Test
	void cacheTimeToLiveOfZeroReadsTheDatabaseEveryTime() {
		JdbcXrefAccountStore instanceA = store(this.database.dataSource(), "k1");
		instanceA.setCacheTimeToLive(Duration.ZERO);
		instanceA.save("tenant-a", connection(TOKEN));
		assertThat(instanceA.findByTenant("tenant-a")).isPresent();
		store(this.database.newDataSource(), "k1").deleteAccount("account-1");
		assertThat(instanceA.findByTenant("tenant-a")).isEmpty();
	}

	@Test
	void hundredConcurrentConnectsAndDisconnectsFromTwoInstancesLeaveOneConsistentRow() throws Exception {
		List<JdbcXrefAccountStore> instances = List.of(store(this.database.dataSource(), "k1"),
				store(this.database.newDataSource(), "k1"));
		ExecutorService executor = Executors.newFixedThreadPool(8);
		List<Future<?>> results = new ArrayList<>();
		try {
			for (int i = 0; i < 100; i++) {
				int n = i;
				JdbcXrefAccountStore instance = instances.get(n % 2);
				results.add(executor.submit(() -> {
					if (n % 4 < 2) {
						instance.save("tenant-" + (n % 3), connection("token-" + n));
					}
					else {
						instance.deleteAccount("account-1");
					}
				}));
			}
			for (Future<?> result : results) {
				result.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		instances.get(0).save("tenant-0", connection(TOKEN));
		assertThat(count("xref_account")).isOne();
		assertThat(this.database.jdbc()
			.sql("SELECT COUNT(*) FROM xref_tenant t LEFT JOIN xref_account a"
					+ " ON a.xref_account_id = t.xref_account_id WHERE a.xref_account_id IS NULL")
			.query(Integer.class)
			.single()).as("tenant links without account").isZero();
		assertThat(instances.get(1).findByTenant("tenant-0")).contains(connection(TOKEN));
	}

	@Test
	void databaseFailureDuringSaveLeavesNothingHalfWritten() {
		store(this.database.dataSource(), "k1").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore failing = store(new FailingDataSource(this.database.newDataSource(), 2), "k1");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> failing.save("tenant-b", connection("token-2")));
		assertThat(storedTokens()).hasSize(1);
		assertThat(this.database.jdbc().sql("SELECT tenant_key FROM xref_tenant").query(String.class).list())
			.containsExactly("tenant-a");
		assertThat(store(this.database.newDataSource(), "k1").findByAccount("account-1")).contains(connection(TOKEN));
	}

	private JdbcXrefAccountStore store(DataSource dataSource, String... keyIds) {
		return new JdbcXrefAccountStore(dataSource, TestCiphers.cipher(keyIds));
	}

	private List<String> storedTokens() {
		return this.database.jdbc().sql("SELECT access_token FROM xref_account").query(String.class).list();
	}

	private int count(String table) {
		return this.database.jdbc().sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
	}

	private static XrefConnection connection(String token) {
		return new XrefConnection("account-1", token, Instant.parse("2026-01-01T10:00:00.123Z"), "alice");
	}

}
