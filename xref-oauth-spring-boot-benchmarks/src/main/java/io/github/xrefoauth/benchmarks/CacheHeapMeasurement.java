package io.github.xrefoauth.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Heap that the JDBC store's read cache takes for a number of tenants, each linked to an
 * account of its own with a 32-character token: used heap after a full GC, before and
 * after every tenant was looked up once, on PostgreSQL (so that the database's own memory
 * is not in the figure).
 * <p>
 * Run with
 * {@code java -cp xref-oauth-spring-boot-benchmarks/target/benchmarks.jar io.github.xrefoauth.benchmarks.CacheHeapMeasurement [tenants]}.
 */
public final class CacheHeapMeasurement {

	private CacheHeapMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		int tenants = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		try (BenchmarkDatabase database = new BenchmarkDatabase(BenchmarkDatabase.POSTGRESQL)) {
			database.createXrefSchema();
			XrefTokenCipher cipher = BenchmarkDatabase.randomCipher();
			insert(database, cipher, tenants);
			// Warms up the pool, the driver and the classes on a store of its own.
			JdbcXrefAccountStore warmUp = store(database, cipher, tenants);
			for (int n = 0; n < 2_000; n++) {
				warmUp.findByTenant("tenant-" + n);
			}
			warmUp = null;
			JdbcXrefAccountStore store = store(database, cipher, tenants);
			long before = usedHeapAfterGc();
			for (int n = 0; n < tenants; n++) {
				if (store.findByTenant("tenant-" + n).isEmpty()) {
					throw new IllegalStateException("tenant-" + n + " not found");
				}
			}
			long after = usedHeapAfterGc();
			// Still cached: a second round reads nothing from the database.
			store.findByTenant("tenant-0").orElseThrow();
			long bytes = after - before;
			System.out.printf("%,d cached tenants (each with its account): %,.1f MB, %,d bytes each%n", tenants,
					bytes / 1_000_000.0, bytes / tenants);
		}
	}

	private static JdbcXrefAccountStore store(BenchmarkDatabase database, XrefTokenCipher cipher, int tenants) {
		JdbcXrefAccountStore store = new JdbcXrefAccountStore(database.dataSource(), cipher);
		store.setCacheTimeToLive(Duration.ofHours(1));
		store.setCacheMaximumSize(Math.max(tenants, 1));
		return store;
	}

	private static void insert(BenchmarkDatabase database, XrefTokenCipher cipher, int tenants) {
		JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
		List<Object[]> accounts = new ArrayList<>(tenants);
		List<Object[]> links = new ArrayList<>(tenants);
		for (int n = 0; n < tenants; n++) {
			byte[] random = new byte[16];
			ThreadLocalRandom.current().nextBytes(random);
			String token = HexFormat.of().formatHex(random);
			String stored = cipher.encrypt(token);
			accounts.add(new Object[] { "account-" + n, stored, cipher.hash(token), 1_767_261_600_000L, "alice",
					XrefTokenCipher.keyIdOf(stored) });
			links.add(new Object[] { "tenant-" + n, "account-" + n });
		}
		jdbc.batchUpdate("INSERT INTO xref_account (xref_account_id, access_token, token_hash, connected_at,"
				+ " connected_by, key_id) VALUES (?, ?, ?, ?, ?, ?)", accounts);
		jdbc.batchUpdate("INSERT INTO xref_tenant (tenant_key, xref_account_id) VALUES (?, ?)", links);
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int n = 0; n < 3; n++) {
			System.gc();
			Thread.sleep(200);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
