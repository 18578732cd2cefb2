package io.github.xrefoauth.benchmarks.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.jspecify.annotations.Nullable;

/**
 * How soon a disconnect on one instance is in force on another: two JDBC stores, A and B,
 * each with a pool of its own on one PostgreSQL schema. Each round connects a tenant
 * through A, has B find it until B answers from its cache (no connection taken by the
 * calling thread), deletes the account through A, and measures from the end of the delete
 * until B no longer finds the tenant, asking B about every millisecond; a round gives up
 * after 35 s. Rounds are apart by a random pause of up to 1 s, so that they do not keep
 * step with a store that polls. Prints the median, the 90th percentile and the maximum.
 * <p>
 * Arguments: the number of rounds (default 100), and optionally the stores' cache time to
 * live (ISO-8601 such as {@code PT2S}, or seconds; default: the store's own).
 */
public final class DisconnectPropagationBenchmark {

	private static final Duration GIVE_UP = Duration.ofSeconds(35);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long CACHED_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(5);

	private DisconnectPropagationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 100;
		@Nullable Duration timeToLive = (args.length > 1) ? parseDuration(args[1]) : null;
		XrefTokenCipher cipher = StoreLookupBenchmark.randomCipher();
		try (PostgreSqlSchema schema = new PostgreSqlSchema()) {
			AtomicLong bConnections = new AtomicLong();
			ThreadConnectionCounts.countOnThisThread(bConnections);
			JdbcXrefAccountStore a = new JdbcXrefAccountStore(schema.openDataSource(), cipher);
			JdbcXrefAccountStore b = new JdbcXrefAccountStore(new ThreadConnectionCounts(schema.openDataSource()),
					cipher);
			if (timeToLive != null) {
				a.setCacheTimeToLive(timeToLive);
				b.setCacheTimeToLive(timeToLive);
			}
			StoreLifecycle.start(a);
			StoreLifecycle.start(b);
			try {
				new DisconnectPropagationBenchmark().run(a, b, bConnections, rounds,
						(timeToLive != null) ? timeToLive.toString() : "store default");
			}
			finally {
				StoreLifecycle.stop(a);
				StoreLifecycle.stop(b);
			}
		}
	}

	private void run(JdbcXrefAccountStore a, JdbcXrefAccountStore b, AtomicLong bConnections, int rounds,
			String timeToLive) {
		long[] delays = new long[rounds];
		int timedOut = 0;
		int notCached = 0;
		SplittableRandom random = new SplittableRandom(42);
		for (int round = 0; round < rounds; round++) {
			String tenant = "tenant-" + round;
			String account = "acct-" + round;
			a.save(tenant, new XrefConnection(account, "token-" + round, Instant.now(), "user-" + round));
			if (!awaitCached(b, bConnections, tenant)) {
				notCached++;
			}
			if (!a.deleteAccount(account)) {
				throw new IllegalStateException("A did not delete " + account);
			}
			long deleted = System.nanoTime();
			while (b.findByTenant(tenant).isPresent() && System.nanoTime() - deleted <= GIVE_UP.toNanos()) {
				LockSupport.parkNanos(POLL_NANOS);
			}
			long delay = System.nanoTime() - deleted;
			if (delay > GIVE_UP.toNanos()) {
				timedOut++;
			}
			delays[round] = delay;
			System.out.printf(Locale.ROOT, "round %d: %.1f ms%n", round + 1, millis(delay));
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(1000)));
		}
		Arrays.sort(delays);
		System.out.printf(Locale.ROOT,
				"%nDisconnect on A until B no longer finds the tenant, %d rounds, cache time to live %s, Java %s, %d cores:%n",
				rounds, timeToLive, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		System.out.printf(Locale.ROOT, "| median | p90 | max | gave up after %d s |%n", GIVE_UP.toSeconds());
		System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|%n");
		System.out.printf(Locale.ROOT, "| %.1f ms | %.1f ms | %s | %d of %d |%n", millis(percentile(delays, 50)),
				millis(percentile(delays, 90)), (timedOut > 0) ? "> " + GIVE_UP.toSeconds() + " s"
						: String.format(Locale.ROOT, "%.1f ms", millis(delays[rounds - 1])),
				timedOut, rounds);
		if (notCached > 0) {
			System.out.printf(Locale.ROOT, "In %d of %d rounds B did not answer from its cache before the delete.%n",
					notCached, rounds);
		}
	}

	/**
	 * Asks B for the tenant that A connected until B answers from its cache, that is
	 * without taking a connection on this thread ({@code bConnections}).
	 * @return whether B answered from its cache within 5 s
	 */
	private static boolean awaitCached(JdbcXrefAccountStore b, AtomicLong bConnections, String tenant) {
		long start = System.nanoTime();
		for (;;) {
			long connections = bConnections.get();
			boolean found = b.findByTenant(tenant).isPresent();
			if (found && bConnections.get() == connections) {
				return true;
			}
			if (System.nanoTime() - start > CACHED_WITHIN_NANOS) {
				if (!found) {
					throw new IllegalStateException("B did not find " + tenant);
				}
				return false;
			}
			if (!found) {
				LockSupport.parkNanos(POLL_NANOS);
			}
		}
	}

	/** The nearest-rank percentile of sorted values. */
	private static long percentile(long[] sorted, int percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static Duration parseDuration(String value) {
		return value.toUpperCase(Locale.ROOT).startsWith("P") ? Duration.parse(value)
				: Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
	}

}
