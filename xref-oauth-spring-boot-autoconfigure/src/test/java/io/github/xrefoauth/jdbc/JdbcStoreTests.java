package io.github.xrefoauth.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.xrefoauth.account.Concurrently;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the JDBC store adds to the contract: encryption at rest, key rotation, restarts,
 * several instances on one database, the read cache and failed writes.
 */
abstract class JdbcStoreTests {

	private static final String TOKEN = "cb6f0e5d9a8b4c3d2e1f0a9b8c7d1e31";

	/**
	 * Pairs of keys that differ only in a trailing space, in case, or in Unicode
	 * normalization (precomposed U+00E9 against e and the combining U+0301).
	 */
	private static final List<List<String>> KEYS_THAT_LOOK_ALIKE = List.of(List.of("sara", "sara "),
			List.of("Nora", "nora"), List.of("Ren\u00e9", "Rene\u0301"));

	private TestDatabase database;

	abstract TestDatabase createDatabase();

	@BeforeEach
	void createDatabaseUnderTest() {
		this.database = createDatabase();
	}

	@AfterEach
	void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
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
	void repeatedReadsWithinTheCacheTimeToLiveDoNotTouchTheDatabase() throws Exception {
		AtomicInteger connections = new AtomicInteger();
		DataSource counting = new DelegatingDataSource(this.database.newDataSource()) {

			@Override
			public Connection getConnection() throws SQLException {
				connections.incrementAndGet();
				return super.getConnection();
			}

		};
		JdbcXrefAccountStore instance = store(counting, "k1");
		instance.save("tenant-a", connection(TOKEN));
		assertThat(instance.findByTenant("tenant-a")).isPresent();
		int afterFirstRead = connections.get();

		for (int i = 0; i < 100; i++) {
			assertThat(instance.findByTenant("tenant-a")).get()
				.extracting(XrefConnection::accessToken)
				.isEqualTo(TOKEN);
		}

		assertThat(connections.get()).isEqualTo(afterFirstRead);
		instance.setCacheTimeToLive(Duration.ZERO);
		instance.findByTenant("tenant-a");
		assertThat(connections.get()).isGreaterThan(afterFirstRead);
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
	void concurrentConnectsAndDisconnectsOnTwoInstancesLeaveTheLastConnectInForce() throws Exception {
		MutableClock clock = new MutableClock();
		List<JdbcXrefAccountStore> instances = List.of(store(this.database.dataSource(), "k1"),
				store(this.database.newDataSource(), "k1"));
		instances.forEach((instance) -> instance.setClock(clock));
		// 2 x 50 operations, half on each instance: connects of account-1 from three
		// tenants
		// with distinct tokens, interleaved with both kinds of disconnect.
		List<Throwable> failures = Concurrently.run(100, (n) -> {
			JdbcXrefAccountStore instance = instances.get(n % 2);
			switch (n % 4) {
				case 0, 1 -> instance.save("tenant-" + (n % 3), connection("token-" + n));
				case 2 -> instance.deleteAccount("account-1");
				default -> instance.deleteByAccessToken("token-" + (n - 2));
			}
		});
		assertThat(failures).isEmpty();

		instances.get(0).save("tenant-0", connection(TOKEN));
		// The other instance may reuse what it read for the cache time to live.
		clock.advance(Duration.ofSeconds(30));
		for (JdbcXrefAccountStore instance : instances) {
			assertThat(instance.findByTenant("tenant-0")).contains(connection(TOKEN));
			assertThat(instance.findByAccount("account-1")).contains(connection(TOKEN));
			for (String tenant : List.of("tenant-1", "tenant-2")) {
				instance.findByTenant(tenant)
					.ifPresent((connection) -> assertThat(connection).as(tenant).isEqualTo(connection(TOKEN)));
			}
		}
		for (int n = 0; n < 100; n++) {
			assertThat(instances.get(1).deleteByAccessToken("token-" + n)).as("token-" + n).isFalse();
		}
		assertThat(storedTokens()).hasSize(1);
		assertThat(instances.get(1).deleteByAccessToken(TOKEN)).isTrue();
		for (String tenant : List.of("tenant-0", "tenant-1", "tenant-2")) {
			assertThat(instances.get(1).findByTenant(tenant)).as(tenant).isEmpty();
		}
	}

	@Test
	void queryTimeoutIsNotRetried() {
		FailingDataSource timingOut = new FailingDataSource(this.database.newDataSource(),
				(statement) -> new SQLTimeoutException("Query timed out"));
		JdbcXrefAccountStore store = store(timingOut, "k1");
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> store.save("tenant-a", connection(TOKEN)));
		assertThat(timingOut.statements()).isOne();
	}

	@Test
	void lockConflictIsRetriedUntilTheWriteSucceeds() {
		// The first statement of the first two attempts loses a deadlock.
		FailingDataSource conflicting = new FailingDataSource(this.database.newDataSource(),
				(statement) -> (statement <= 2)
						? new SQLTransactionRollbackException("Deadlock found when trying to get lock", "40001", 1213)
						: null);
		store(conflicting, "k1").save("tenant-a", connection(TOKEN));
		// The third attempt locks the account row, inserts it, reads the tenant's link,
		// links the tenant and adds the change to the feed.
		assertThat(conflicting.statements()).isEqualTo(7);
		assertThat(store(this.database.newDataSource(), "k1").findByTenant("tenant-a")).contains(connection(TOKEN));
	}

	@Test
	void writeInTheCallersTransactionReachesTheCacheOnlyOnceItCommits() {
		DataSource dataSource = this.database.newDataSource();
		JdbcXrefAccountStore store = store(dataSource, "k1");
		store.save("tenant-a", connection(TOKEN));
		ExecutorService otherRequest = Executors.newSingleThreadExecutor();
		try {
			new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult((status) -> {
				store.save("tenant-a", connection("token-2"));
				// Another request reads, and caches, the committed row meanwhile.
				assertThat(await(otherRequest.submit(() -> store.findByTenant("tenant-a"))))
					.contains(connection(TOKEN));
			});
		}
		finally {
			otherRequest.shutdownNow();
		}
		assertThat(store.findByTenant("tenant-a")).contains(connection("token-2"));
	}

	@Test
	void writeInTheCallersTransactionThatRollsBackLeavesNothingInTheCache() {
		DataSource dataSource = this.database.newDataSource();
		JdbcXrefAccountStore store = store(dataSource, "k1");
		store.save("tenant-a", connection(TOKEN));
		new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult((status) -> {
			store.save("tenant-a", connection("token-2"));
			assertThat(store.findByTenant("tenant-a")).contains(connection("token-2"));
			status.setRollbackOnly();
		});
		assertThat(store.findByTenant("tenant-a")).contains(connection(TOKEN));
	}

	@Test
	void databaseFailureDuringSaveLeavesNothingHalfWritten() {
		store(this.database.dataSource(), "k1").save("tenant-a", connection(TOKEN));
		// Statement 1 locks the account row, 2 writes it, 3 (the tenant link) fails.
		JdbcXrefAccountStore failing = store(new FailingDataSource(this.database.newDataSource(), 3), "k1");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> failing.save("tenant-b", connection("token-2")));
		assertThat(storedTokens()).hasSize(1);
		assertThat(this.database.jdbc().sql("SELECT tenant_key FROM xref_tenant").query(String.class).list())
			.containsExactly("tenant-a");
		assertThat(store(this.database.newDataSource(), "k1").findByAccount("account-1")).contains(connection(TOKEN));
	}

	@Test
	void replaceReadsTheReplacedTokenFromTheDatabaseNotFromTheCache() {
		JdbcXrefAccountStore instanceA = store(this.database.dataSource(), "k1");
		JdbcXrefAccountStore instanceB = store(this.database.newDataSource(), "k1");
		instanceA.save("tenant-a", connection(TOKEN));
		assertThat(instanceB.findByAccount("account-1")).contains(connection(TOKEN));
		assertThat(instanceA.replace("tenant-a", connection("token-2"))).contains(connection(TOKEN));
		assertThat(instanceB.replace("tenant-b", connection("token-3"))).contains(connection("token-2"));
		assertThat(instanceB.findByAccount("account-1")).contains(connection("token-3"));
	}

	@Test
	void replacedTokenOfAKeyThatIsNotConfiguredIsReplacedButNotReturned() {
		store(this.database.dataSource(), "k2").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore withoutK2 = store(this.database.newDataSource(), "k1");
		assertThat(withoutK2.replace("tenant-a", connection("token-2"))).isEmpty();
		assertThat(withoutK2.findByTenant("tenant-a")).contains(connection("token-2"));
	}

	@Test
	void tokenOfAKeyThatIsNotConfiguredFailsTheReadNamingTheKey() {
		store(this.database.dataSource(), "k2").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore withoutK2 = store(this.database.newDataSource(), "k1");
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> withoutK2.findByTenant("tenant-a"))
			.isInstanceOf(DataAccessException.class)
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k2"))
			.satisfies((ex) -> assertThat(ex.getXrefAccountId()).isEqualTo("account-1"))
			.satisfies((ex) -> assertThat(ex.isKeyConfigured()).isFalse())
			.withMessageContaining("key 'k2', which is not configured")
			.withMessageNotContaining(TOKEN);
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> withoutK2.checkStoredKeys())
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k2"));
	}

	@Test
	void tokenThatTheConfiguredKeyDoesNotDecryptFailsTheReadNamingTheKey() {
		store(this.database.dataSource(), "k1").save("tenant-a", connection(TOKEN));
		JdbcXrefAccountStore otherSecret = new JdbcXrefAccountStore(this.database.newDataSource(),
				TestCiphers.cipherWithOtherSecrets("k1"));
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> otherSecret.findByAccount("account-1"))
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k1"))
			.satisfies((ex) -> assertThat(ex.isKeyConfigured()).isTrue())
			.withMessageContaining("Xref account 'account-1'")
			.withMessageContaining("key 'k1'")
			.withMessageContaining("does not decrypt")
			.withMessageNotContaining("padding")
			.withMessageNotContaining(TOKEN);
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> otherSecret.checkStoredKeys())
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k1"));
	}

	@Test
	void checkOfStoredKeysFindsEveryKeyInUse() {
		JdbcXrefAccountStore store = store(this.database.dataSource(), "k2", "k1");
		assertThat(store.checkStoredKeys()).isEmpty();
		new JdbcXrefAccountStore(this.database.newDataSource(), XrefTokenCipher.plaintext()).save("tenant-p",
				new XrefConnection("account-p", "token-p", Instant.EPOCH, "carol"));
		store(this.database.newDataSource(), "k1").save("tenant-a", connection(TOKEN));
		for (int n = 0; n < 20; n++) {
			store.save("tenant-" + n, new XrefConnection("account-k2-" + n, "token-" + n, Instant.EPOCH, "bob"));
		}
		assertThat(store.checkStoredKeys()).containsExactly("k1", "k2", "plain");
		assertThat(store.reencryptAll()).isEqualTo(2);
		assertThat(store.checkStoredKeys()).containsExactly("k2");
		assertThat(this.database.jdbc().sql("SELECT DISTINCT key_id FROM xref_account").query(String.class).list())
			.containsExactly("k2");
	}

	@Test
	void tenantKeysAreComparedByteForByte() {
		JdbcXrefAccountStore store = store(this.database.dataSource(), "k1");
		JdbcXrefAccountStore reader = uncachedStore();
		for (int n = 0; n < KEYS_THAT_LOOK_ALIKE.size(); n++) {
			String kept = KEYS_THAT_LOOK_ALIKE.get(n).get(0);
			String deleted = KEYS_THAT_LOOK_ALIKE.get(n).get(1);
			XrefConnection ofKept = new XrefConnection("account-" + n + "-kept", "token-" + n + "-kept", Instant.EPOCH,
					"alice");
			XrefConnection ofDeleted = new XrefConnection("account-" + n + "-deleted", "token-" + n + "-deleted",
					Instant.EPOCH, "bob");
			store.save(kept, ofKept);
			store.save(deleted, ofDeleted);
			assertThat(reader.findByTenant(kept)).as(describe(kept)).contains(ofKept);
			assertThat(reader.findByTenant(deleted)).as(describe(deleted)).contains(ofDeleted);
			assertThat(store.deleteAccount(ofDeleted.xrefAccountId())).isTrue();
			assertThat(reader.findByTenant(deleted)).as(describe(deleted)).isEmpty();
			assertThat(reader.findByTenant(kept)).as(describe(kept)).contains(ofKept);
		}
		assertThat(this.database.jdbc()
			.sql("SELECT tenant_key FROM xref_tenant")
			.query((rs, row) -> KeyColumns.read(rs, 1))
			.list())
			.containsExactlyInAnyOrderElementsOf(KEYS_THAT_LOOK_ALIKE.stream().map((pair) -> pair.get(0)).toList());
	}

	@Test
	void accountIdsAreComparedByteForByte() {
		JdbcXrefAccountStore store = store(this.database.dataSource(), "k1");
		JdbcXrefAccountStore reader = uncachedStore();
		for (int n = 0; n < KEYS_THAT_LOOK_ALIKE.size(); n++) {
			XrefConnection kept = new XrefConnection(KEYS_THAT_LOOK_ALIKE.get(n).get(0), "token-" + n + "-kept",
					Instant.EPOCH, "alice");
			XrefConnection deleted = new XrefConnection(KEYS_THAT_LOOK_ALIKE.get(n).get(1), "token-" + n + "-deleted",
					Instant.EPOCH, "bob");
			store.save("tenant-" + n + "-kept", kept);
			store.save("tenant-" + n + "-deleted", deleted);
			assertThat(reader.findByAccount(kept.xrefAccountId())).as(describe(kept.xrefAccountId())).contains(kept);
			assertThat(reader.findByAccount(deleted.xrefAccountId())).as(describe(deleted.xrefAccountId()))
				.contains(deleted);
			assertThat(reader.findByTenant("tenant-" + n + "-kept")).contains(kept);
			assertThat(reader.findByTenant("tenant-" + n + "-deleted")).contains(deleted);
			assertThat(store.deleteAccount(deleted.xrefAccountId())).isTrue();
			assertThat(reader.findByAccount(deleted.xrefAccountId())).as(describe(deleted.xrefAccountId())).isEmpty();
			assertThat(reader.findByTenant("tenant-" + n + "-deleted")).isEmpty();
			assertThat(reader.findByAccount(kept.xrefAccountId())).as(describe(kept.xrefAccountId())).contains(kept);
			assertThat(reader.findByTenant("tenant-" + n + "-kept")).contains(kept);
		}
		assertThat(store.reencryptAll()).isZero();
		assertThat(store(this.database.newDataSource(), "k2", "k1").reencryptAll())
			.as("every row found again by the account id it read")
			.isEqualTo(KEYS_THAT_LOOK_ALIKE.size());
	}

	private JdbcXrefAccountStore uncachedStore() {
		JdbcXrefAccountStore store = store(this.database.newDataSource(), "k1");
		store.setCacheTimeToLive(Duration.ZERO);
		return store;
	}

	private static String describe(String key) {
		return key.codePoints()
			.mapToObj((codePoint) -> String.format("U+%04X", codePoint))
			.collect(Collectors.joining(" ", "key [", "]"));
	}

	private static <T> T await(Future<T> result) {
		try {
			return result.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void rejectedAccountKeepsItsRowWithoutTokenWhichKeyChecksAndReencryptionSkip() {
		JdbcXrefAccountStore store = store(this.database.dataSource(), "k1");
		store.save("tenant-a", connection(TOKEN));
		assertThat(store.reject(connection(TOKEN), Instant.parse("2026-01-02T00:00:00Z"), RejectedBy.API_CALL))
			.isTrue();
		Map<String, Object> row = this.database.jdbc()
			.sql("SELECT access_token, token_hash, key_id, rejected_at, rejected_by FROM xref_account")
			.query()
			.singleRow();
		assertThat(row.values()).containsExactly(null, null, null, Instant.parse("2026-01-02T00:00:00Z").toEpochMilli(),
				"API_CALL");
		JdbcXrefAccountStore rotated = store(this.database.newDataSource(), "k2");
		assertThat(rotated.checkStoredKeys()).isEmpty();
		assertThat(rotated.reencryptAll()).isZero();
		assertThat(rotated.countAccounts()).isZero();
		assertThat(rotated.countAccountsToReconnect()).isOne();
		rotated.save("tenant-a", connection("token-2"));
		assertThat(
				this.database.jdbc().sql("SELECT rejected_at FROM xref_account").query().singleRow().get("rejected_at"))
			.isNull();
		assertThat(rotated.checkStoredKeys()).containsExactly("k2");
	}

	@Test
	void claimSkipsARowWhoseKeyIsNotConfiguredWithoutFailing() {
		store(this.database.dataSource(), "k2").save("tenant-a", connection(TOKEN));
		XrefConnection other = new XrefConnection("account-2", "token-2", Instant.EPOCH, "bob");
		store(this.database.newDataSource(), "k1").save("tenant-b", other);
		JdbcXrefAccountStore withoutK2 = store(this.database.newDataSource(), "k1");
		Instant now = Instant.parse("2026-02-01T00:00:00Z");
		assertThat(withoutK2.claimForCheck(now, Duration.ofMinutes(10), 10)).containsExactly(other);
		assertThat(this.database.jdbc().sql("SELECT checked_at FROM xref_account").query(Long.class).list())
			.as("both claimed")
			.containsOnly(now.toEpochMilli());
	}

	@Test
	void twoInstancesClaimingConcurrentlyClaimEveryConnectionExactlyOncePerInterval() throws Exception {
		XrefTokenCipher cipher = TestCiphers.cipher("k1");
		List<Object[]> rows = new ArrayList<>();
		for (int n = 0; n < 1000; n++) {
			String token = "token-" + n;
			String stored = cipher.encrypt(token);
			rows.add(new Object[] { "account-" + n, stored, cipher.hash(token), 0L, "alice",
					XrefTokenCipher.keyIdOf(stored) });
		}
		new JdbcTemplate(this.database.dataSource()).batchUpdate(
				"INSERT INTO xref_account (xref_account_id,"
						+ " access_token, token_hash, connected_at, connected_by, key_id) VALUES (?, ?, ?, ?, ?, ?)",
				rows);
		List<JdbcXrefAccountStore> instances = List.of(store(this.database.newDataSource(), "k1"),
				store(this.database.newDataSource(), "k1"));
		Instant start = Instant.parse("2026-02-01T00:00:00Z");
		Duration interval = Duration.ofMinutes(10);
		for (int round = 0; round < 2; round++) {
			Instant now = start.plus(interval.multipliedBy(round));
			Queue<String> claimed = new ConcurrentLinkedQueue<>();
			// Eight claimers, four on each instance, each claiming until it finds none.
			List<Throwable> failures = Concurrently.run(8, (n) -> {
				List<XrefConnection> batch;
				while (!(batch = instances.get(n % 2).claimForCheck(now, interval, 50)).isEmpty()) {
					batch.forEach((connection) -> claimed.add(connection.accessToken()));
				}
			});
			assertThat(failures).isEmpty();
			assertThat(claimed).as("round " + round).hasSize(1000).doesNotHaveDuplicates();
			assertThat(claimed).contains("token-0", "token-999");
			assertThat(instances.get(0).claimForCheck(now.plus(interval).minusMillis(1), interval, 50)).isEmpty();
		}
	}

	private JdbcXrefAccountStore store(DataSource dataSource, String... keyIds) {
		return new JdbcXrefAccountStore(dataSource, TestCiphers.cipher(keyIds));
	}

	private List<String> storedTokens() {
		return this.database.jdbc().sql("SELECT access_token FROM xref_account").query(String.class).list();
	}

	private static XrefConnection connection(String token) {
		return new XrefConnection("account-1", token, Instant.parse("2026-01-01T10:00:00.123Z"), "alice");
	}

}
