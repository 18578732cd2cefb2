package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.internal.RestClientXrefTokenClient;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenResponse;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * An application's pool on PostgreSQL that breaks as PostgreSQL does when it goes away:
 * its backends are terminated with {@code pg_terminate_backend} from a connection of its
 * own (only this pool's, named in {@code pg_stat_activity}), a commit fails before or
 * after it committed, and new connections are refused until {@link #recover()}. The break
 * is armed from {@link #afterExchange}, which the {@link #tokenClient token client} runs
 * once Xref has issued a token.
 */
final class FaultyPostgreSqlPool extends DelegatingDataSource {

	private final TestDatabase database;

	private final String applicationName = "xref_faulty_" + UUID.randomUUID().toString().substring(0, 8);

	volatile @Nullable Runnable afterExchange;

	volatile boolean refuse;

	/** At the next commit: commit, then report a broken connection and refuse. */
	volatile boolean commitThenBreak;

	/** At the next commit: terminate the backend, report so and refuse, uncommitted. */
	volatile boolean breakBeforeCommit;

	/** At the next commit: commit, then terminate the backend and report so. */
	volatile boolean dieAfterNextCommit;

	volatile boolean brokeAfterCommit;

	volatile boolean brokeBeforeCommit;

	volatile boolean diedAfterCommit;

	FaultyPostgreSqlPool(TestDatabase database) {
		this.database = database;
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(database.url());
		pool.setUsername(database.username());
		pool.setPassword("");
		pool.setMaximumPoolSize(4);
		pool.addDataSourceProperty("ApplicationName", this.applicationName);
		setTargetDataSource(pool);
		afterPropertiesSet();
	}

	/**
	 * The application's token client: exchanges at Xref, then runs
	 * {@link #afterExchange}.
	 */
	XrefTokenClient tokenClient(ClientRegistration registration) {
		XrefTokenClient tokenClient = new RestClientXrefTokenClient(registration, RestClient::create);
		return (code) -> {
			XrefTokenResponse token = tokenClient.exchange(code);
			Runnable afterExchange = this.afterExchange;
			if (afterExchange != null) {
				afterExchange.run();
			}
			return token;
		};
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.refuse) {
			throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
		}
		Connection connection = obtainTargetDataSource().getConnection();
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					boolean commit = method.getName().equals("commit");
					if (commit && this.breakBeforeCommit) {
						this.breakBeforeCommit = false;
						terminate("pid = " + connection.unwrap(PGConnection.class).getBackendPID());
						this.refuse = true;
						this.brokeBeforeCommit = true;
						throw brokenConnection();
					}
					Object result;
					try {
						result = method.invoke(connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
					if (commit && this.commitThenBreak) {
						this.commitThenBreak = false;
						this.refuse = true;
						this.brokeAfterCommit = true;
						throw brokenConnection();
					}
					if (commit && this.dieAfterNextCommit) {
						this.dieAfterNextCommit = false;
						terminate("pid = " + connection.unwrap(PGConnection.class).getBackendPID());
						this.diedAfterCommit = true;
						throw brokenConnection();
					}
					return result;
				});
	}

	private static SQLException brokenConnection() {
		return new SQLException("An I/O error occurred while sending to the backend", "08006");
	}

	/** PostgreSQL goes away: the pool's backends end and new connections fail. */
	void terminateAndRefuse() {
		terminate("true");
		this.refuse = true;
	}

	/** Terminates backends of this pool from a connection of its own. */
	private void terminate(String backends) {
		try (Connection admin = DriverManager.getConnection(this.database.url(), this.database.username(), "");
				Statement terminate = admin.createStatement()) {
			terminate.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE " + backends
					+ " AND application_name = '" + this.applicationName + "'");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** PostgreSQL is back: new connections work, and the pool drops its dead ones. */
	void recover() {
		this.refuse = false;
		((HikariDataSource) obtainTargetDataSource()).getHikariPoolMXBean().softEvictConnections();
	}

	void close() {
		((HikariDataSource) obtainTargetDataSource()).close();
	}

}
