package io.github.xrefoauth.benchmarks.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.jspecify.annotations.Nullable;

/**
 * How soon a disconnect on one instance is in force on another: two JDBC stores, A and B,
 * each with a pool of its own on one PostgreSQL schema. Each round connects a tenant
 * through A, has B find (and cache) it, deletes the account through A, and measures from
 * the end of the delete until B no longer finds the tenant, asking B about every
 * millisecond; a round gives up after 35 s. Prints the median, the 90th percentile and
 * the maximum.
 * <p>
 * Arguments: the number of rounds (default 100), and optionally the stores' cache time to
 * live (ISO-8601 such as {@code PT2S}, or seconds; default: the store's own).
 */
public final class DisconnectPropagationBenchmark {

	private static final Duration GIVE_UP = Duration.ofSeconds(35);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private DisconnectPropagationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 100;
		@Nullable Duration timeToLive = (args.length > 1) ? parseDuration(args[1]) : null;
		XrefTokenCipher cipher = StoreLookupBenchmark.randomCipher();
		try (PostgreSqlSchema schema = new PostgreSqlSchema()) {
			JdbcXrefAccountStore a = new JdbcXrefAccountStore(schema.openDataSource(), cipher);
			JdbcXrefAccountStore b = new JdbcXrefAccountStore(schema.openDataSource(), cipher);
			if (timeToLive != null) {
				a.setCacheTimeToLive(timeToLive);
				b.setCacheTimeToLive(timeToLive);
			}
			StoreLifecycle.start(a);
			StoreLifecycle.start(b);
			try {
				run(a, b, rounds, (timeToLive != null) ? timeToLive.toString() : "store default");
			}
			finally {
				StoreLifecycle.stop(a);
				StoreLifecycle.stop(b);
			}
		}
	}

	private static void run(JdbcXrefAccountStore a, JdbcXrefAccountStore b, int rounds, String timeToLive) {
		long[] delays = new long[rounds];
		int timedOut = 0;
		SplittableRandom random = new SplittableRandom(42);
		for (int round = 0; round < rounds; round++) {
			String tenant = "tenant-" + round;
			String account = "acct-" + round;
			a.save(tenant, new XrefConnection(account, "token-" + round, Instant.now(), "user-" + round));
			awaitConnected(b, tenant);
			if (!a.deleteAccount(account)) {
				throw new IllegalStateException("A did not delete " + account);
			}
			long deleted = System.nanoTime();
			while (b.findByTenant(tenant).isPresent()) {
				if (System.nanoTime() - deleted > GIVE_UP.toNanos()) {
					break;
				}
				LockSupport.parkNanos(POLL_NANOS);
			}
			long delay = System.nanoTime() - deleted;
			if (delay > GIVE_UP.toNanos()) {
				timedOut++;
			}
			delays[round] = delay;
			System.out.printf(Locale.ROOT, "round %d: %.1f ms%n", round + 1, millis(delay));
			// A pause of random length, so that the rounds do not keep step with a poll.
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(100)));
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
	}

	/**
	 * Waits until B finds the tenant that A connected, which also puts it in B's cache.
	 */
	private static void awaitConnected(JdbcXrefAccountStore b, String tenant) {
		long start = System.nanoTime();
		while (b.findByTenant(tenant).isEmpty()) {
			if (System.nanoTime() - start > GIVE_UP.toNanos()) {
				throw new IllegalStateException("B did not find " + tenant + " within " + GIVE_UP);
			}
			LockSupport.parkNanos(POLL_NANOS);
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
