package io.github.xrefoauth.benchmarks.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.jdbc.XrefTokenCipher;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * A fresh schema in PostgreSQL ({@code XREF_BENCH_POSTGRESQL_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}) with the tables
 * of the JDBC store, dropped again on {@link #close()}.
 */
final class PostgreSqlSchema implements AutoCloseable {

	private static final String SERVER = System.getenv()
		.getOrDefault("XREF_BENCH_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	private static final String USER = "postgres";

	private static final int BATCH = 5_000;

	private final String name = "xref_store_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	PostgreSqlSchema() {
		execute(SERVER, "CREATE SCHEMA " + this.name);
		new ResourceDatabasePopulator(new ClassPathResource("io/github/xrefoauth/jdbc/schema-postgresql.sql"))
			.execute(openDataSource());
	}

	/**
	 * Opens a pool of its own on this schema, as another application instance would.
	 * @return the pool, closed with the schema
	 */
	HikariDataSource openDataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url());
		dataSource.setUsername(USER);
		dataSource.setPassword("");
		dataSource.setMaximumPoolSize(4);
		this.dataSources.add(dataSource);
		return dataSource;
	}

	/**
	 * Connects tenants {@code tenant-1} to {@code tenant-<count>}, each to an account of
	 * its own ({@code acct-<i>}, token {@code token-<i>}), with batched inserts into the
	 * store's tables; each token is encrypted and hashed by the store's cipher.
	 * @param count the number of tenants
	 * @param cipher the cipher the store is created with
	 */
	void connectTenants(int count, XrefTokenCipher cipher) {
		long connectedAt = Instant.now().toEpochMilli();
		try (Connection connection = DriverManager.getConnection(url() + "&reWriteBatchedInserts=true", USER, "")) {
			connection.setAutoCommit(false);
			try (PreparedStatement accounts = connection.prepareStatement("INSERT INTO xref_account"
					+ " (xref_account_id, access_token, token_hash, connected_at, connected_by, key_id)"
					+ " VALUES (?, ?, ?, ?, ?, ?)");
					PreparedStatement tenants = connection
						.prepareStatement("INSERT INTO xref_tenant (tenant_key, xref_account_id) VALUES (?, ?)")) {
				for (int i = 1; i <= count; i++) {
					String token = "token-" + i;
					String storedToken = cipher.encrypt(token);
					accounts.setString(1, StoreLookupBenchmark.accountId(i));
					accounts.setString(2, storedToken);
					accounts.setString(3, cipher.hash(token));
					accounts.setLong(4, connectedAt);
					accounts.setString(5, "user-" + i);
					accounts.setString(6, XrefTokenCipher.keyIdOf(storedToken));
					accounts.addBatch();
					tenants.setString(1, StoreLookupBenchmark.tenantKey(i));
					tenants.setString(2, StoreLookupBenchmark.accountId(i));
					tenants.addBatch();
					if (i % BATCH == 0 || i == count) {
						accounts.executeBatch();
						tenants.executeBatch();
					}
				}
			}
			connection.commit();
			try (Statement statement = connection.createStatement()) {
				connection.setAutoCommit(true);
				statement.execute("VACUUM ANALYZE xref_account");
				statement.execute("VACUUM ANALYZE xref_tenant");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not connect " + count + " tenants", ex);
		}
	}

	private String url() {
		return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + this.name;
	}

	@Override
	public void close() {
		this.dataSources.forEach(HikariDataSource::close);
		execute(SERVER, "DROP SCHEMA " + this.name + " CASCADE");
	}

	private static void execute(String url, String sql) {
		try (Connection connection = DriverManager.getConnection(url, USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + url + ": " + sql + " failed", ex);
		}
	}

}
