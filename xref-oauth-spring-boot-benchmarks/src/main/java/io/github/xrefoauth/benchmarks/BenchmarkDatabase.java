package io.github.xrefoauth.benchmarks;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.jdbc.XrefTokenCipher;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * A database of its own for one benchmark trial: a private in-memory H2 database, or a
 * fresh schema in the local PostgreSQL ({@code 127.0.0.1:5432/test}, user
 * {@code postgres}), dropped again on {@link #close()}.
 */
final class BenchmarkDatabase implements AutoCloseable {

	static final String H2 = "h2";

	static final String POSTGRESQL = "postgresql";

	private static final String POSTGRESQL_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String POSTGRESQL_USER = "postgres";

	private final String platform;

	private final HikariDataSource dataSource = new HikariDataSource();

	private final String schema = "bench_" + Long.toHexString(new SecureRandom().nextLong() >>> 1);

	BenchmarkDatabase(String platform) {
		this.platform = platform;
		this.dataSource.setMaximumPoolSize(4);
		if (H2.equals(platform)) {
			this.dataSource.setJdbcUrl("jdbc:h2:mem:" + this.schema + ";DB_CLOSE_DELAY=-1");
		}
		else if (POSTGRESQL.equals(platform)) {
			try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, POSTGRESQL_USER, "")) {
				connection.createStatement().execute("CREATE SCHEMA " + this.schema);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("PostgreSQL at " + POSTGRESQL_URL + " is not reachable", ex);
			}
			this.dataSource.setJdbcUrl(POSTGRESQL_URL + "?currentSchema=" + this.schema);
			this.dataSource.setUsername(POSTGRESQL_USER);
		}
		else {
			throw new IllegalArgumentException("Unknown database " + platform);
		}
	}

	/**
	 * Whether the local PostgreSQL answers.
	 * @return {@code true} if a connection could be opened
	 */
	static boolean postgreSqlReachable() {
		try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, POSTGRESQL_USER, "")) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	HikariDataSource dataSource() {
		return this.dataSource;
	}

	String platform() {
		return this.platform;
	}

	/**
	 * Creates the tables of the Xref JDBC store.
	 */
	void createXrefSchema() {
		run("io/github/xrefoauth/jdbc/schema-" + this.platform + ".sql");
	}

	/**
	 * Creates the table of Spring Security's {@code JdbcOAuth2AuthorizedClientService}.
	 */
	void createSpringSchema() {
		run("org/springframework/security/oauth2/client/oauth2-client-schema"
				+ (POSTGRESQL.equals(this.platform) ? "-postgres" : "") + ".sql");
	}

	/**
	 * Returns the rows {@code 1..count} of a generated series, column {@code x}.
	 * @return the {@code FROM} clause with one {@code ?} for the count
	 */
	String series() {
		return H2.equals(this.platform) ? "SYSTEM_RANGE(1, ?)" : "generate_series(1, ?) AS x";
	}

	private void run(String script) {
		new ResourceDatabasePopulator(new ClassPathResource(script)).execute(this.dataSource);
	}

	@Override
	public void close() {
		if (POSTGRESQL.equals(this.platform)) {
			new JdbcTemplate(this.dataSource).execute("DROP SCHEMA " + this.schema + " CASCADE");
		}
		this.dataSource.close();
	}

	/**
	 * Returns an AES-GCM cipher with random keys, as the store uses in production.
	 * @return the cipher
	 */
	static XrefTokenCipher randomCipher() {
		return XrefTokenCipher.aesGcm("k1", Map.of("k1", XrefTokenCipher.aesGcmKey(randomBytes())), randomBytes());
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	@Override
	public String toString() {
		return this.platform.toUpperCase(Locale.ROOT);
	}

}
