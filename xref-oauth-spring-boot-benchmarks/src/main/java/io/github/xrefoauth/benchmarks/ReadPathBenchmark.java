package io.github.xrefoauth.benchmarks;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * What finding the token of the current tenant costs, as every {@code xrefRestClient}
 * call does: the in-memory store, and the JDBC store (H2, AES-GCM) with its read cache on
 * ({@code PT30S}, the default) and off ({@code PT0S}: a query and a decryption per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadPathBenchmark {

	private static final String TENANT = "acme";

	@Param({ "memory", "PT30S", "PT0S" })
	public String store;

	private XrefAccountStore accountStore = new InMemoryXrefAccountStore();

	private HikariDataSource dataSource;

	@Setup
	public void connectAccount() {
		if (!"memory".equals(this.store)) {
			this.dataSource = new HikariDataSource();
			this.dataSource.setJdbcUrl("jdbc:h2:mem:read-path;DB_CLOSE_DELAY=-1");
			new ResourceDatabasePopulator(new ClassPathResource("io/github/xrefoauth/jdbc/schema-h2.sql"))
				.execute(this.dataSource);
			JdbcXrefAccountStore jdbcStore = new JdbcXrefAccountStore(this.dataSource, XrefTokenCipher.aesGcm("k1",
					Map.of("k1", XrefTokenCipher.aesGcmKey(randomBytes())), randomBytes()));
			jdbcStore.setCacheTimeToLive(Duration.parse(this.store));
			this.accountStore = jdbcStore;
		}
		this.accountStore.save(TENANT, new XrefConnection("d1e01e1a36a09eda2a31b01caf62eb2e",
				"cb6f9d8c843c22e53db97f7fd2ff20ab58c91e31", Instant.now(), "alice"));
	}

	@TearDown
	public void closeDatabase() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Benchmark
	public Optional<XrefConnection> findTokenOfTenant() {
		return this.accountStore.findByTenant(TENANT);
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

}
