package io.github.xrefoauth.benchmarks;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.crypto.encrypt.BytesEncryptor;

/**
 * What the start-up check of the stored keys
 * ({@link JdbcXrefAccountStore#checkStoredKeys()}) costs with many stored accounts, on H2
 * in memory and on PostgreSQL (skipped when unreachable), next to what a full scan would
 * cost, and the size of the index on {@code key_id} (PostgreSQL).
 * <p>
 * The accounts hold real tokens of two keys: one row in a hundred has the older key
 * {@code k1}, the others the current key {@code k2}, as during a key rotation.
 * <p>
 * Each database is measured in a JVM of its own, so that the first check runs as cold as
 * at start-up. Run:
 * {@code java -cp xref-oauth-spring-boot-benchmarks/target/benchmarks.jar
 * io.github.xrefoauth.benchmarks.StoredKeysCheckBenchmark [accounts]} (default
 * 1,000,000). PostgreSQL is read from {@code XREF_BENCH_POSTGRESQL_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}); a schema of its
 * own is created and dropped.
 */
public final class StoredKeysCheckBenchmark {

	private static final int CHECK_RUNS = 50;

	private static final Keys KEYS = new Keys();

	private StoredKeysCheckBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int accounts = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		if (args.length > 1) {
			Database database = "h2".equals(args[1]) ? new H2() : new PostgreSql();
			if (!database.reachable()) {
				System.out.println(database.name() + ": not reachable, skipped");
				return;
			}
			run(database, accounts);
			return;
		}
		System.out.printf(Locale.ROOT,
				"%,d accounts, keys k1 (1%%) and k2 (99%%), each database in a JVM of its own%n%n", accounts);
		// A JVM per database, so that the first check of each runs as cold as at
		// start-up.
		for (String database : List.of("h2", "postgresql")) {
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx2g", "-cp", System.getProperty("java.class.path"), StoredKeysCheckBenchmark.class.getName(),
					String.valueOf(accounts), database)
				.inheritIO()
				.start();
			if (process.waitFor() != 0) {
				throw new IllegalStateException(database + " run failed");
			}
		}
	}

	private static void run(Database database, int accounts) {
		XrefTokenCipher cipher = cipher("k2");
		String k1Token = cipher("k1").encrypt("cb6f9d8c843c22e53db97f7fd2ff20ab58c91e31");
		String k2Token = cipher.encrypt("d1e01e1a36a09eda2a31b01caf62eb2e58c91e31");
		String name = database.name();
		try (HikariDataSource dataSource = database.create()) {
			JdbcClient jdbc = JdbcClient.create(dataSource);
			long load = millis(() -> load(database, jdbc, accounts, k1Token, k2Token));
			database.analyze(jdbc);
			JdbcXrefAccountStore store = new JdbcXrefAccountStore(dataSource, cipher);
			long[] first = new long[1];
			List<String> keyIds = timed(first, store::checkStoredKeys);
			double[] runs = new double[CHECK_RUNS];
			for (int i = 0; i < CHECK_RUNS; i++) {
				long start = System.nanoTime();
				store.checkStoredKeys();
				runs[i] = (System.nanoTime() - start) / 1e6;
			}
			Arrays.sort(runs);
			long distinct = millis(
					() -> jdbc.sql("SELECT DISTINCT key_id FROM xref_account").query(String.class).list());
			long fullDecrypt = millis(() -> jdbc.sql("SELECT access_token FROM xref_account").query((rs) -> {
				cipher.decrypt(rs.getString(1));
			}));
			System.out.printf(Locale.ROOT, "%s, %,d accounts: keys found %s%n", name, accounts, keyIds);
			System.out.printf(Locale.ROOT, "  check, first call (cold):    %8.2f ms%n", first[0] / 1e6);
			System.out.printf(Locale.ROOT, "  check, median / max of next %d: %.2f / %.2f ms%n", CHECK_RUNS,
					runs[CHECK_RUNS / 2], runs[CHECK_RUNS - 1]);
			System.out.printf(Locale.ROOT, "  SELECT DISTINCT key_id:      %8d ms%n", distinct);
			System.out.printf(Locale.ROOT, "  read and decrypt every row:  %8d ms%n", fullDecrypt);
			System.out.printf(Locale.ROOT, "  bulk load of the accounts:   %8d ms%n", load);
			database.printSizes(jdbc);
			System.out.println();
		}
		finally {
			database.drop();
		}
	}

	private static void load(Database database, JdbcClient jdbc, int accounts, String k1Token, String k2Token) {
		jdbc.sql("INSERT INTO xref_account (xref_account_id, access_token, token_hash, connected_at, connected_by,"
				+ " key_id) " + database.generateRows())
			.params(k1Token, k2Token, accounts)
			.update();
	}

	private static <T> T timed(long[] nanos, Supplier<T> action) {
		long start = System.nanoTime();
		T result = action.get();
		nanos[0] = System.nanoTime() - start;
		return result;
	}

	private static long millis(Runnable action) {
		long start = System.nanoTime();
		action.run();
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static XrefTokenCipher cipher(String currentKeyId) {
		return XrefTokenCipher.aesGcm(currentKeyId, Map.of("k1", KEYS.k1, "k2", KEYS.k2), KEYS.hashKey);
	}

	private static final class Keys {

		private final byte[] hashKey = randomBytes();

		private final BytesEncryptor k1 = XrefTokenCipher.aesGcmKey(randomBytes());

		private final BytesEncryptor k2 = XrefTokenCipher.aesGcmKey(randomBytes());

		private static byte[] randomBytes() {
			byte[] bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			return bytes;
		}

	}

	/**
	 * A database to measure on: a fresh one for each load.
	 */
	private abstract static class Database {

		abstract String name();

		abstract boolean reachable();

		abstract HikariDataSource create();

		abstract void drop();

		/**
		 * A {@code SELECT} of the rows to insert, with the k1 token, the k2 token and the
		 * number of rows as parameters.
		 */
		abstract String generateRows();

		void analyze(JdbcClient jdbc) {
		}

		void printSizes(JdbcClient jdbc) {
		}

		static HikariDataSource pool(String url, String username, String schemaScript) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(url);
			dataSource.setUsername(username);
			dataSource.setPassword("");
			new ResourceDatabasePopulator(new ClassPathResource(schemaScript)).execute(dataSource);
			return dataSource;
		}

	}

	private static final class H2 extends Database {

		private String url = "";

		@Override
		String name() {
			return "H2 " + org.h2.engine.Constants.VERSION + " in memory";
		}

		@Override
		boolean reachable() {
			return true;
		}

		@Override
		HikariDataSource create() {
			this.url = "jdbc:h2:mem:keys-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
			return pool(this.url, "sa", "io/github/xrefoauth/jdbc/schema-h2.sql");
		}

		@Override
		void drop() {
			try (Connection connection = DriverManager.getConnection(this.url, "sa", "")) {
				connection.createStatement().execute("SHUTDOWN");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		String generateRows() {
			return "SELECT 'account-' || X, CASE WHEN MOD(X, 100) = 0 THEN ? ELSE ? END,"
					+ " LPAD(CAST(X AS VARCHAR), 64, '0'), 1767225600000, 'bench',"
					+ " CASE WHEN MOD(X, 100) = 0 THEN 'k1' ELSE 'k2' END FROM SYSTEM_RANGE(1, ?)";
		}

		@Override
		void analyze(JdbcClient jdbc) {
			jdbc.sql("ANALYZE").update();
		}

	}

	private static final class PostgreSql extends Database {

		private final String server = System.getenv()
			.getOrDefault("XREF_BENCH_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/test");

		private final List<String> schemas = new ArrayList<>();

		@Override
		String name() {
			try (Connection connection = DriverManager.getConnection(this.server, "postgres", "")) {
				return "PostgreSQL " + connection.getMetaData().getDatabaseProductVersion();
			}
			catch (SQLException ex) {
				return "PostgreSQL";
			}
		}

		@Override
		boolean reachable() {
			DriverManager.setLoginTimeout(3);
			try (Connection connection = DriverManager.getConnection(this.server, "postgres", "")) {
				return connection.isValid(3);
			}
			catch (SQLException ex) {
				return false;
			}
		}

		@Override
		HikariDataSource create() {
			String schema = "xref_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			execute("CREATE SCHEMA " + schema);
			this.schemas.add(schema);
			return pool(this.server + "?currentSchema=" + schema, "postgres",
					"io/github/xrefoauth/jdbc/schema-postgresql.sql");
		}

		@Override
		void drop() {
			this.schemas.forEach((schema) -> execute("DROP SCHEMA " + schema + " CASCADE"));
			this.schemas.clear();
		}

		@Override
		String generateRows() {
			return "SELECT 'account-' || i, CASE WHEN i % 100 = 0 THEN ? ELSE ? END, md5(i::text) || md5(i::text),"
					+ " 1767225600000, 'bench', CASE WHEN i % 100 = 0 THEN 'k1' ELSE 'k2' END"
					+ " FROM generate_series(1, ?) AS i";
		}

		@Override
		void analyze(JdbcClient jdbc) {
			jdbc.sql("VACUUM ANALYZE xref_account").update();
		}

		@Override
		void printSizes(JdbcClient jdbc) {
			Map<String, Object> sizes = jdbc
				.sql("SELECT pg_size_pretty(pg_relation_size('xref_account')) AS heap,"
						+ " pg_size_pretty(pg_relation_size('xref_account_pk')) AS pk,"
						+ " pg_size_pretty(pg_relation_size('xref_account_token_hash_ix')) AS token_hash,"
						+ " pg_size_pretty(pg_relation_size('xref_account_key_id_ix')) AS key_id")
				.query()
				.singleRow();
			System.out.printf(Locale.ROOT, "  sizes: table %s, primary key %s, token_hash index %s, key_id index %s%n",
					sizes.get("heap"), sizes.get("pk"), sizes.get("token_hash"), sizes.get("key_id"));
		}

		private void execute(String sql) {
			try (Connection connection = DriverManager.getConnection(this.server, "postgres", "")) {
				connection.createStatement().execute(sql);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
