package io.github.xrefoauth.jdbc;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.autoconfigure.XrefJdbcStoreDataSourceScriptDatabaseInitializer;
import io.github.xrefoauth.autoconfigure.XrefJdbcStoreProperties;
import org.junit.jupiter.api.Assumptions;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database of its own for one test: a fresh H2 database, PostgreSQL schema or MariaDB
 * database with the shipped schema script applied. PostgreSQL and MariaDB tests are
 * skipped when the server is unreachable, unless {@code XREF_DB_TESTS_REQUIRED=true}.
 */
final class TestDatabase implements AutoCloseable {

	static final String REQUIRED_VARIABLE = "XREF_DB_TESTS_REQUIRED";

	private final String url;

	private final String username;

	private final String dropStatement;

	private final String adminUrl;

	private final List<HikariDataSource> pools = new ArrayList<>();

	private final DataSource dataSource;

	private TestDatabase(String url, String username, String adminUrl, String dropStatement) {
		this.url = url;
		this.username = username;
		this.adminUrl = adminUrl;
		this.dropStatement = dropStatement;
		this.dataSource = newDataSource();
		XrefJdbcStoreProperties properties = new XrefJdbcStoreProperties();
		properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
		properties.setContinueOnError(false);
		new XrefJdbcStoreDataSourceScriptDatabaseInitializer(this.dataSource, properties).initializeDatabase();
	}

	static TestDatabase h2() {
		String name = "xref_" + suffix();
		return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", null, "SHUTDOWN");
	}

	static TestDatabase postgresql() {
		String server = "jdbc:postgresql://127.0.0.1:5432/test";
		String schema = "xref_" + suffix();
		execute(server, "postgres", "PostgreSQL at 127.0.0.1:5432", "CREATE SCHEMA " + schema);
		return new TestDatabase(server + "?currentSchema=" + schema, "postgres", server,
				"DROP SCHEMA " + schema + " CASCADE");
	}

	static TestDatabase mariadb() {
		String server = "jdbc:mariadb://127.0.0.1:3306/test";
		String database = "xref_" + suffix();
		execute(server, "root", "MariaDB at 127.0.0.1:3306", "CREATE DATABASE " + database);
		return new TestDatabase("jdbc:mariadb://127.0.0.1:3306/" + database, "root", server,
				"DROP DATABASE " + database);
	}

	/**
	 * Returns the pool that the test's first instance uses.
	 * @return the data source
	 */
	DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * Opens another pool on the same database, as a second application instance or a
	 * restarted one would.
	 * @return a new data source
	 */
	DataSource newDataSource() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(this.url);
		pool.setUsername(this.username);
		pool.setPassword("");
		pool.setMaximumPoolSize(8);
		pool.setMinimumIdle(0);
		this.pools.add(pool);
		return pool;
	}

	/**
	 * Returns the JDBC URL of the test's database.
	 * @return the URL
	 */
	String url() {
		return this.url;
	}

	String username() {
		return this.username;
	}

	JdbcClient jdbc() {
		return JdbcClient.create(this.dataSource);
	}

	@Override
	public void close() {
		this.pools.forEach(HikariDataSource::close);
		if (this.adminUrl == null) {
			try (Connection connection = DriverManager.getConnection(this.url, this.username, "")) {
				connection.createStatement().execute(this.dropStatement);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			return;
		}
		execute(this.adminUrl, this.username, this.adminUrl, this.dropStatement);
	}

	private static void execute(String url, String username, String description, String sql) {
		DriverManager.setLoginTimeout(3);
		try (Connection connection = DriverManager.getConnection(url, username, "")) {
			connection.createStatement().execute(sql);
		}
		catch (SQLException ex) {
			if (!isUnreachable(ex)) {
				throw new AssertionError(description + " failed: " + ex.getMessage(), ex);
			}
			if (Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
				throw new AssertionError(
						description + " is required (" + REQUIRED_VARIABLE + "=true) but failed: " + ex.getMessage(),
						ex);
			}
			Assumptions.abort(description + " is not reachable: " + ex.getMessage());
		}
	}

	/**
	 * Whether the server could not be reached at all: SQLState class 08 (connection
	 * exception) or a refused connection. Wrong credentials and bad SQL are failures.
	 */
	static boolean isUnreachable(SQLException ex) {
		if (ex.getSQLState() != null && ex.getSQLState().startsWith("08")) {
			return true;
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

	private static String suffix() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

}
