package io.github.xrefoauth.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What finding the token of a tenant costs when the store holds 1,000, 100,000 or
 * 1,000,000 connected accounts, each linked to a tenant of its own; every call asks for
 * another tenant, picked at random. Stores: in memory, and JDBC (H2 in memory, PostgreSQL
 * when asked) with the read cache on (the default) and off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class LookupBenchmark {

	/** Every store; {@code -postgresql} ones need the local PostgreSQL. */
	static final List<String> STORES = List.of("memory", "jdbc-h2", "jdbc-h2-nocache", "jdbc-postgresql",
			"jdbc-postgresql-nocache");

	private static final int PICKS = 1 << 16;

	@Param({ "memory", "jdbc-h2", "jdbc-h2-nocache" })
	public String store;

	@Param({ "1000", "100000", "1000000" })
	public int accounts;

	private XrefAccountStore accountStore;

	private BenchmarkDatabase database;

	private final String[] tenants = new String[PICKS];

	private int next;

	@Setup
	public void connectAccounts() {
		String[] parts = this.store.split("-");
		if (parts.length == 1) {
			this.accountStore = new InMemoryXrefAccountStore();
			Instant now = Instant.now();
			for (int i = 1; i <= this.accounts; i++) {
				this.accountStore.save("tenant-" + i, new XrefConnection("acct-" + i, "token-" + i, now, "user-" + i));
			}
		}
		else {
			this.database = new BenchmarkDatabase(parts[1]);
			this.database.createXrefSchema();
			JdbcXrefAccountStore jdbcStore = new JdbcXrefAccountStore(this.database.dataSource(),
					BenchmarkDatabase.randomCipher());
			if (parts.length > 2) {
				jdbcStore.setCacheTimeToLive(Duration.ZERO);
			}
			fill(jdbcStore);
			this.accountStore = jdbcStore;
		}
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < PICKS; i++) {
			this.tenants[i] = "tenant-" + (1 + random.nextInt(this.accounts));
		}
		if (this.accountStore.findByTenant(this.tenants[0]).isEmpty()) {
			throw new IllegalStateException("The store lost " + this.tenants[0]);
		}
	}

	/**
	 * Saves one account through the store, then copies its encrypted token into the other
	 * rows with one statement each: saving a million accounts one by one would take
	 * longer than the benchmark.
	 */
	private void fill(JdbcXrefAccountStore jdbcStore) {
		jdbcStore.save("tenant-0", new XrefConnection("acct-0", "token-0", Instant.now(), "user-0"));
		JdbcClient jdbc = JdbcClient.create(this.database.dataSource());
		String storedToken = jdbc.sql("SELECT access_token FROM xref_account").query(String.class).single();
		String keyId = jdbc.sql("SELECT key_id FROM xref_account").query(String.class).single();
		jdbc.sql("INSERT INTO xref_account"
				+ " (xref_account_id, access_token, token_hash, connected_at, connected_by, key_id)"
				+ " SELECT CONCAT('acct-', x), ?, CONCAT('hash-', x), ?, CONCAT('user-', x), ? FROM "
				+ this.database.series())
			.params(storedToken, Instant.now().toEpochMilli(), keyId, this.accounts)
			.update();
		jdbc.sql("INSERT INTO xref_tenant (tenant_key, xref_account_id) SELECT CONCAT('tenant-', x), CONCAT('acct-', x)"
				+ " FROM " + this.database.series())
			.param(this.accounts)
			.update();
		if (BenchmarkDatabase.POSTGRESQL.equals(this.database.platform())) {
			jdbc.sql("ANALYZE").update();
		}
	}

	@TearDown
	public void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Benchmark
	public Optional<XrefConnection> findTokenOfTenant() {
		return this.accountStore.findByTenant(this.tenants[this.next++ & (PICKS - 1)]);
	}

}
