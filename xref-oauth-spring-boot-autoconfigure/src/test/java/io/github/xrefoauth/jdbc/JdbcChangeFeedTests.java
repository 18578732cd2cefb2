package io.github.xrefoauth.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two store instances on one database, each caching for an hour: a change on one is in
 * force on the other once it has read the change feed, and evicts only what it changed.
 */
abstract class JdbcChangeFeedTests {

	private static final Duration ONE_HOUR = Duration.ofHours(1);

	private TestDatabase database;

	private JdbcXrefAccountStore instanceA;

	private FailingDataSource dataSourceB;

	private JdbcXrefAccountStore instanceB;

	abstract TestDatabase createDatabase();

	@BeforeEach
	void startInstances() {
		this.database = createDatabase();
		this.instanceA = store(this.database.dataSource());
		this.dataSourceB = new FailingDataSource(this.database.newDataSource(), (statement) -> null);
		this.instanceB = store(this.dataSourceB);
		// The first read also looks at the changes made shortly before.
		this.instanceB.pollChanges();
	}

	@AfterEach
	void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void disconnectOnOneInstanceIsInForceOnTheOtherOnceItReadTheFeed() {
		this.instanceA.save("tenant-a", connection("account-1", "token-1"));
		this.instanceA.save("tenant-b", connection("account-1", "token-1"));
		cacheOnB("tenant-a", "tenant-b");
		assertThat(this.instanceB.findByAccount("account-1")).isPresent();

		assertThat(this.instanceA.deleteAccount("account-1")).isTrue();
		assertThat(this.instanceB.findByTenant("tenant-a")).as("cached for an hour").isPresent();
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-a")).isEmpty();
		assertThat(this.instanceB.findByTenant("tenant-b")).isEmpty();
		assertThat(this.instanceB.findByAccount("account-1")).isEmpty();
	}

	@Test
	void forgetOnOneInstanceIsInForceOnTheOtherOnceItReadTheFeed() {
		this.instanceA.save("tenant-a", connection("account-1", "token-1"));
		cacheOnB("tenant-a");
		assertThat(this.instanceB.findByAccount("account-1")).isPresent();

		assertThat(this.instanceA.deleteByAccessToken("token-1")).isTrue();
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-a")).isEmpty();
		assertThat(this.instanceB.findByAccount("account-1")).isEmpty();
	}

	@Test
	void reconnectOnOneInstanceIsInForceOnTheOtherOnceItReadTheFeed() {
		this.instanceA.save("tenant-a", connection("account-1", "token-1"));
		cacheOnB("tenant-a");
		assertThat(this.instanceB.findByAccount("account-1")).isPresent();

		this.instanceA.save("tenant-a", connection("account-1", "token-2"));
		assertThat(this.instanceB.findByTenant("tenant-a")).map(XrefConnection::accessToken)
			.as("cached for an hour")
			.contains("token-1");
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains("token-2");
		assertThat(this.instanceB.findByAccount("account-1")).map(XrefConnection::accessToken).contains("token-2");
	}

	@Test
	void rejectOnOneInstanceStopsTheCachedTokenOnTheOtherOnceItReadTheFeed() {
		this.instanceA.save("tenant-a", connection("account-1", "token-1"));
		this.instanceA.save("tenant-b", connection("account-1", "token-1"));
		cacheOnB("tenant-a", "tenant-b");
		assertThat(this.instanceB.findByAccount("account-1")).isPresent();

		assertThat(this.instanceA.reject(connection("account-1", "token-1"), Instant.EPOCH, RejectedBy.API_CALL))
			.isTrue();
		assertThat(this.instanceB.findByTenant("tenant-a")).as("cached for an hour").isPresent();
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-a")).isEmpty();
		assertThat(this.instanceB.findByTenant("tenant-b")).isEmpty();
		assertThat(this.instanceB.findByAccount("account-1")).isEmpty();
		assertThat(this.instanceB.status("tenant-b").state()).isEqualTo(XrefConnectionStatus.State.RECONNECT_NEEDED);
	}

	@Test
	void tenantMovedOnOneInstanceIsInForceOnTheOtherOnceItReadTheFeed() {
		this.instanceA.save("tenant-a", connection("account-1", "token-1"));
		cacheOnB("tenant-a");
		assertThat(this.instanceB.findByAccount("account-1")).isPresent();

		assertThat(this.instanceA.replace("tenant-a", connection("account-2", "token-2")))
			.containsExactly(connection("account-1", "token-1"));
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-a")).contains(connection("account-2", "token-2"));
		assertThat(this.instanceB.findByAccount("account-1")).as("deleted once no tenant linked it").isEmpty();
	}

	@Test
	void writeOfOneAccountLeavesAnotherAccountCachedOnBothInstances() {
		FailingDataSource dataSourceA = new FailingDataSource(this.database.newDataSource(), (statement) -> null);
		JdbcXrefAccountStore countedA = store(dataSourceA);
		countedA.save("tenant-x", connection("account-x", "token-x"));
		countedA.save("tenant-y", connection("account-y", "token-y"));
		this.instanceB.pollChanges();
		for (JdbcXrefAccountStore instance : List.of(countedA, this.instanceB)) {
			assertThat(instance.findByTenant("tenant-y")).isPresent();
			assertThat(instance.findByAccount("account-y")).isPresent();
			assertThat(instance.findByTenant("tenant-x")).isPresent();
		}

		countedA.save("tenant-x", connection("account-x", "token-x2"));
		this.instanceB.pollChanges();

		int statementsOnA = dataSourceA.statements();
		int statementsOnB = this.dataSourceB.statements();
		for (JdbcXrefAccountStore instance : List.of(countedA, this.instanceB)) {
			assertThat(instance.findByTenant("tenant-y")).contains(connection("account-y", "token-y"));
			assertThat(instance.findByAccount("account-y")).contains(connection("account-y", "token-y"));
		}
		assertThat(dataSourceA.statements()).as("statements on A").isEqualTo(statementsOnA);
		assertThat(this.dataSourceB.statements()).as("statements on B").isEqualTo(statementsOnB);
		assertThat(this.instanceB.findByTenant("tenant-x")).contains(connection("account-x", "token-x2"));
		assertThat(this.dataSourceB.statements()).as("statements on B").isEqualTo(statementsOnB + 1);
	}

	@Test
	void changeThatCommitsAfterAChangeWithAHigherNumberWasReadIsNotLost() throws Exception {
		this.instanceA.save("tenant-x", connection("account-x", "token-x"));
		cacheOnB("tenant-x");
		this.instanceB.changeFeed().setGapTimeout(ONE_HOUR);
		this.instanceB.pollChanges();
		DataSource dataSource = this.database.newDataSource();
		JdbcXrefAccountStore slowWriter = store(dataSource);
		ExecutorService otherRequest = Executors.newSingleThreadExecutor();
		try {
			new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult((status) -> {
				// Draws the lower number, and commits last.
				slowWriter.save("tenant-x", connection("account-x", "token-x2"));
				await(otherRequest.submit(() -> this.instanceA.save("tenant-y", connection("account-y", "token-y"))));
				this.instanceB.pollChanges();
				assertThat(this.instanceB.findByTenant("tenant-x")).map(XrefConnection::accessToken)
					.contains("token-x");
			});
		}
		finally {
			otherRequest.shutdownNow();
		}
		this.instanceB.pollChanges();

		assertThat(this.instanceB.findByTenant("tenant-x")).map(XrefConnection::accessToken).contains("token-x2");
	}

	@Test
	void cacheBeyondItsMaximumEvictsTheLeastUsedEntriesNotAll() {
		this.instanceB.setCacheMaximumSize(100);
		List<String> hot = tenants("hot", 20);
		List<String> cold = tenants("cold", 400);
		for (String tenant : concat(hot, cold)) {
			this.instanceA.save(tenant, connection("account-of-" + tenant, "token-of-" + tenant));
		}
		for (int n = 0; n < cold.size(); n++) {
			assertThat(this.instanceB.findByTenant(hot.get((2 * n) % hot.size()))).isPresent();
			assertThat(this.instanceB.findByTenant(hot.get((2 * n + 1) % hot.size()))).isPresent();
			assertThat(this.instanceB.findByTenant(cold.get(n))).isPresent();
		}
		this.instanceB.cache().cleanUp();

		int statements = this.dataSourceB.statements();
		hot.forEach((tenant) -> assertThat(this.instanceB.findByTenant(tenant)).as(tenant).isPresent());
		assertThat(this.dataSourceB.statements()).as("statements for the hot tenants").isEqualTo(statements);
		cold.forEach((tenant) -> assertThat(this.instanceB.findByTenant(tenant)).as(tenant).isPresent());
		assertThat(this.dataSourceB.statements() - statements).as("statements for the cold tenants")
			.isGreaterThanOrEqualTo(cold.size() - 100);
	}

	private void cacheOnB(String... tenants) {
		for (String tenant : tenants) {
			assertThat(this.instanceB.findByTenant(tenant)).as(tenant).isPresent();
		}
	}

	private static List<String> tenants(String prefix, int count) {
		List<String> tenants = new ArrayList<>(count);
		for (int n = 0; n < count; n++) {
			tenants.add(prefix + "-" + n);
		}
		return tenants;
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static <T> T await(Future<T> result) {
		try {
			return result.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JdbcXrefAccountStore store(DataSource dataSource) {
		JdbcXrefAccountStore store = new JdbcXrefAccountStore(dataSource, TestCiphers.cipher("k1"));
		store.setCacheTimeToLive(ONE_HOUR);
		return store;
	}

	private static XrefConnection connection(String accountId, String token) {
		return new XrefConnection(accountId, token, Instant.parse("2026-01-01T10:00:00.123Z"), "alice");
	}

}
