package io.github.xrefoauth.benchmarks;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Token look-ups from 4 threads at once, as concurrent API calls make them: the in-memory
 * store, and the JDBC store on H2 with its read cache off (a query and an AES-GCM
 * decryption per look-up), over 1,000 connected tenants.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
public class ConcurrentReadBenchmark {

	private static final int TENANTS = 1_000;

	@Param({ "memory", "jdbc-h2-no-cache" })
	public String store;

	private final String[] tenants = new String[TENANTS];

	private XrefAccountStore accountStore = new InMemoryXrefAccountStore();

	private HikariDataSource dataSource;

	@Setup
	public void connectAccounts() {
		if (!"memory".equals(this.store)) {
			this.dataSource = new HikariDataSource();
			this.dataSource.setJdbcUrl("jdbc:h2:mem:concurrent-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			new ResourceDatabasePopulator(new ClassPathResource("io/github/xrefoauth/jdbc/schema-h2.sql"))
				.execute(this.dataSource);
			JdbcXrefAccountStore jdbcStore = new JdbcXrefAccountStore(this.dataSource, XrefTokenCipher.aesGcm("k1",
					Map.of("k1", XrefTokenCipher.aesGcmKey(randomBytes())), randomBytes()));
			jdbcStore.setCacheTimeToLive(Duration.ZERO);
			this.accountStore = jdbcStore;
		}
		for (int n = 0; n < TENANTS; n++) {
			this.tenants[n] = "tenant-" + n;
			this.accountStore.save(this.tenants[n], new XrefConnection("account-" + n,
					"cb6f9d8c843c22e53db97f7fd2ff20ab58c9" + (1000 + n), Instant.now(), "alice"));
		}
	}

	@TearDown
	public void closeDatabase() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Benchmark
	public Optional<XrefConnection> findTokenOfTenant(Caller caller) {
		return this.accountStore.findByTenant(this.tenants[caller.next()]);
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	/**
	 * One calling thread, going through the tenants in turn from a start of its own.
	 */
	@State(Scope.Thread)
	public static class Caller {

		private int next = new SecureRandom().nextInt(TENANTS);

		int next() {
			this.next = (this.next + 1) % TENANTS;
			return this.next;
		}

	}

}
