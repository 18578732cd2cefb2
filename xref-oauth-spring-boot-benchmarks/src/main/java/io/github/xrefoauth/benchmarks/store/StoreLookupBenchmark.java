package io.github.xrefoauth.benchmarks.store;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The lookup that one API call pays to find its token, {@code findByTenant} of a random
 * tenant, when 1,000, 20,000 or 100,000 tenants are active, each connected to an account
 * of its own. Stores: the JDBC store on PostgreSQL with its default cache settings, and
 * the in-memory store as a floor.
 * <p>
 * {@code noConnects} only looks up. {@code withConnects} is a group of lookup threads
 * ({@code lookup}) and a connect thread ({@code connect}) that connects a random tenant
 * again with a new token ({@code save}) once per {@code lookupsPerConnect} lookups of the
 * lookup threads, parking in between, and as fast as it can when it falls behind: the
 * connects' effect on the cache, and their share of the machine, reach the lookups, but
 * their own time is not in the lookups' score. Only the {@code lookup} score counts; the
 * {@code connect} score mixes pauses and connects and means nothing.
 * <p>
 * Before measuring, every tenant is looked up once from 4 threads, so that an active
 * tenant is cached if the cache can hold it. {@code ttl} sets the JDBC store's cache time
 * to live: {@code PT30S} is the store's default; {@code PT10M} keeps every entry for the
 * whole trial. After each iteration the benchmark prints the lookups, how many of them
 * read the database (connections taken on lookup threads), the connects, and how long ago
 * the warm-up began, so that a figure shows how many misses it contains.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class StoreLookupBenchmark {

	private static final int PICKS = 1 << 20;

	private static final int WARM_UP_THREADS = 4;

	private static final long CONNECT_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

	@Param({ "memory", "jdbc-postgresql" })
	public String store;

	@Param({ "1000", "20000", "100000" })
	public int tenants;

	@Param("1000")
	public int lookupsPerConnect;

	@Param("PT30S")
	public String ttl;

	private XrefAccountStore accountStore = new InMemoryXrefAccountStore();

	private @Nullable PostgreSqlSchema schema;

	private String[] tenantKeys = new String[0];

	private int[] picks = new int[0];

	private final List<Caller> callers = new CopyOnWriteArrayList<>();

	private final AtomicLong connects = new AtomicLong();

	private long warmUpStarted;

	private long lookupsBefore;

	private long missesBefore;

	private long connectsBefore;

	private int warmUpIterations;

	private int iterations;

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
			JdbcXrefAccountStore jdbcStore = new JdbcXrefAccountStore(
					new ThreadConnectionCounts(this.schema.openDataSource()), cipher);
			jdbcStore.setCacheTimeToLive(Duration.parse(this.ttl));
			this.accountStore = jdbcStore;
			StoreLifecycle.start(this.accountStore);
		}
		else {
			throw new IllegalArgumentException("Unknown store " + this.store);
		}
		this.tenantKeys = new String[this.tenants + 1];
		for (int i = 1; i <= this.tenants; i++) {
			this.tenantKeys[i] = tenantKey(i);
		}
		SplittableRandom random = new SplittableRandom(42);
		this.picks = new int[PICKS];
		for (int i = 0; i < PICKS; i++) {
			this.picks[i] = 1 + random.nextInt(this.tenants);
		}
		warmUp();
	}

	/**
	 * Looks every tenant up once, from several threads, since a lookup that reads the
	 * database mostly waits for it.
	 */
	private void warmUp() throws Exception {
		this.warmUpStarted = System.nanoTime();
		ExecutorService executor = Executors.newFixedThreadPool(WARM_UP_THREADS);
		try {
			List<Future<?>> parts = new ArrayList<>();
			for (int part = 1; part <= WARM_UP_THREADS; part++) {
				int first = part;
				parts.add(executor.submit(() -> {
					for (int i = first; i <= this.tenants; i += WARM_UP_THREADS) {
						if (this.accountStore.findByTenant(this.tenantKeys[i]).isEmpty()) {
							throw new IllegalStateException("The store lost " + this.tenantKeys[i]);
						}
					}
				}));
			}
			for (Future<?> part : parts) {
				part.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		System.out.printf(Locale.ROOT, "%nWarm-up: %,d tenants looked up in %.1f s from %d threads%n", this.tenants,
				seconds(System.nanoTime() - this.warmUpStarted), WARM_UP_THREADS);
	}

	@TearDown
	public void dropSchema() throws Exception {
		StoreLifecycle.stop(this.accountStore);
		if (this.schema != null) {
			this.schema.close();
		}
	}

	@Setup(Level.Iteration)
	public void markIteration() {
		this.lookupsBefore = lookups();
		this.missesBefore = misses();
		this.connectsBefore = this.connects.get();
	}

	@TearDown(Level.Iteration)
	public void reportIteration(IterationParams params) {
		long lookups = lookups() - this.lookupsBefore;
		long misses = misses() - this.missesBefore;
		long connects = this.connects.get() - this.connectsBefore;
		boolean warmUp = params.getType() == IterationType.WARMUP;
		String kind = warmUp ? "warm-up iteration" : "iteration";
		int number = warmUp ? ++this.warmUpIterations : ++this.iterations;
		String read = (this.schema != null) ? String.format(Locale.ROOT, "%,d read the database (hit rate %.4f %%)",
				misses, (lookups > 0) ? 100.0 * (lookups - misses) / lookups : 0.0) : "no database";
		String connected = (connects > 0)
				? String.format(Locale.ROOT, "%,d connects (one per %,d lookups)", connects, lookups / connects)
				: "no connects";
		System.out.printf(Locale.ROOT, "%n[%s %d] %,d lookups, %s, %s; %.1f s after the warm-up began, ttl %s%n", kind,
				number, lookups, read, connected, seconds(System.nanoTime() - this.warmUpStarted), this.ttl);
	}

	/** Looks up random tenants, nothing else. */
	@Benchmark
	public Optional<XrefConnection> noConnects(Caller caller) {
		return lookUp(caller);
	}

	/** Looks up random tenants while {@link #connect(Connector)} connects. */
	@Benchmark
	@Group("withConnects")
	@GroupThreads(1)
	public Optional<XrefConnection> lookup(Caller caller) {
		return lookUp(caller);
	}

	/**
	 * Connects a random tenant again with a new token once the lookup threads have made
	 * {@code lookupsPerConnect} lookups since the previous connect, or parks briefly.
	 */
	@Benchmark
	@Group("withConnects")
	@GroupThreads(1)
	public void connect(Connector connector) {
		long done = this.connects.get();
		if (lookups() < (done + 1) * this.lookupsPerConnect) {
			LockSupport.parkNanos(CONNECT_PAUSE_NANOS);
			return;
		}
		if (!this.connects.compareAndSet(done, done + 1)) {
			return;
		}
		int tenant = 1 + connector.random.nextInt(this.tenants);
		this.accountStore.save(this.tenantKeys[tenant],
				new XrefConnection(accountId(tenant),
						"token-" + tenant + "-" + Long.toHexString(connector.random.nextLong()), Instant.now(),
						"user-" + tenant));
	}

	private Optional<XrefConnection> lookUp(Caller caller) {
		caller.lookups.setRelease(caller.lookups.getPlain() + 1);
		return this.accountStore.findByTenant(this.tenantKeys[this.picks[caller.next++ & (PICKS - 1)]]);
	}

	private long lookups() {
		long sum = 0;
		for (Caller caller : this.callers) {
			sum += caller.lookups.getAcquire();
		}
		return sum;
	}

	private long misses() {
		long sum = 0;
		for (Caller caller : this.callers) {
			sum += caller.misses.get();
		}
		return sum;
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

	private static double seconds(long nanos) {
		return nanos / 1_000_000_000.0;
	}

	/**
	 * One lookup thread: its place in the random tenants, its lookups, and the database
	 * connections it took, that is its lookups that missed the cache.
	 */
	@State(Scope.Thread)
	public static class Caller {

		final AtomicLong lookups = new AtomicLong();

		final AtomicLong misses = new AtomicLong();

		int next;

		@Setup
		public void register(StoreLookupBenchmark benchmark) {
			this.next = new SplittableRandom().nextInt(PICKS);
			benchmark.callers.add(this);
			ThreadConnectionCounts.countOnThisThread(this.misses);
		}

	}

	/**
	 * The connect thread's random tenants and tokens.
	 */
	@State(Scope.Thread)
	public static class Connector {

		final SplittableRandom random = new SplittableRandom();

	}

}
