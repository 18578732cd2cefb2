package io.github.xrefoauth.benchmarks.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.jspecify.annotations.Nullable;
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

/**
 * The lookup that one API call pays to find its token, {@code findByTenant} of a random
 * tenant, when 1,000, 20,000 or 100,000 tenants are active, each connected to an account
 * of its own. Stores: the JDBC store on PostgreSQL with its default cache settings, and
 * the in-memory store as a floor. With {@code callsPerConnect=1000} every 1,000th call of
 * a thread first connects a random tenant again with a new token ({@code save}), so the
 * connect's cost, and what it does to the cache, is spread over the calls as in a real
 * mix; {@code 0} connects nothing. Before measuring, every tenant is looked up once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class StoreLookupBenchmark {

	private static final int PICKS = 1 << 20;

	@Param({ "memory", "jdbc-postgresql" })
	public String store;

	@Param({ "1000", "20000", "100000" })
	public int tenants;

	@Param({ "0", "1000" })
	public int callsPerConnect;

	private XrefAccountStore accountStore = new InMemoryXrefAccountStore();

	private @Nullable PostgreSqlSchema schema;

	private String[] tenantKeys = new String[0];

	private int[] picks = new int[0];

	@Setup
	public void connectTenants() throws Exception {
		if ("memory".equals(this.store)) {
			Instant now = Instant.now();
			for (int i = 1; i <= this.tenants; i++) {
				this.accountStore.save(tenantKey(i), new XrefConnection(accountId(i), "token-" + i, now, "user-" + i));
			}
		}
		else if ("jdbc-postgresql".equals(this.store)) {
			XrefTokenCipher cipher = randomCipher();
			this.schema = new PostgreSqlSchema();
			this.schema.connectTenants(this.tenants, cipher);
			this.accountStore = new JdbcXrefAccountStore(this.schema.openDataSource(), cipher);
			StoreLifecycle.start(this.accountStore);
		}
		else {
			throw new IllegalArgumentException("Unknown store " + this.store);
		}
		this.tenantKeys = new String[this.tenants + 1];
		for (int i = 1; i <= this.tenants; i++) {
			this.tenantKeys[i] = tenantKey(i);
			if (this.accountStore.findByTenant(this.tenantKeys[i]).isEmpty()) {
				throw new IllegalStateException("The store lost " + this.tenantKeys[i]);
			}
		}
		SplittableRandom random = new SplittableRandom(42);
		this.picks = new int[PICKS];
		for (int i = 0; i < PICKS; i++) {
			this.picks[i] = 1 + random.nextInt(this.tenants);
		}
	}

	@TearDown
	public void dropSchema() throws Exception {
		StoreLifecycle.stop(this.accountStore);
		if (this.schema != null) {
			this.schema.close();
		}
	}

	@Benchmark
	public Optional<XrefConnection> findByTenant(Caller caller) {
		if (this.callsPerConnect > 0 && ++caller.calls == this.callsPerConnect) {
			caller.calls = 0;
			int tenant = this.picks[caller.next++ & (PICKS - 1)];
			this.accountStore.save(this.tenantKeys[tenant],
					new XrefConnection(accountId(tenant),
							"token-" + tenant + "-" + Long.toHexString(caller.random.nextLong()), Instant.now(),
							"user-" + tenant));
		}
		return this.accountStore.findByTenant(this.tenantKeys[this.picks[caller.next++ & (PICKS - 1)]]);
	}

	static String tenantKey(int i) {
		return "tenant-" + i;
	}

	static String accountId(int i) {
		return "acct-" + i;
	}

	static XrefTokenCipher randomCipher() {
		return XrefTokenCipher.aesGcm("k1", Map.of("k1", XrefTokenCipher.aesGcmKey(randomBytes())), randomBytes());
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	/**
	 * One calling thread: its count of calls since its last connect and its place in the
	 * random tenants.
	 */
	@State(Scope.Thread)
	public static class Caller {

		int calls;

		int next;

		final SplittableRandom random = new SplittableRandom();

		@Setup
		public void startAtRandom() {
			this.next = this.random.nextInt(PICKS);
		}

	}

}
