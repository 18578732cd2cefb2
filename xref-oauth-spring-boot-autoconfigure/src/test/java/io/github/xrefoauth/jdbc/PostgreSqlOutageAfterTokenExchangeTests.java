package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.internal.RestClientXrefTokenClient;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenResponse;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * PostgreSQL goes away right after Xref issued a token: every backend of the
 * application's pool is terminated with {@code pg_terminate_backend} from a second
 * connection, and new connections are refused or not. No token is left valid at Xref that
 * the store does not hold, a token the store holds is never revoked, and a write that
 * committed before its connection died is a success.
 */
class PostgreSqlOutageAfterTokenExchangeTests {

	private static final String REDIRECT_URI = "http://localhost/integrations/xref";

	private static final XrefSimulator xref = XrefSimulator.start()
		.registerClient("client-1", "secret-1", REDIRECT_URI)
		.independentTokens(true);

	private static TestDatabase database;

	private static OutageDataSource dataSource;

	private static ConfigurableApplicationContext instance;

	@BeforeAll
	static void start() {
		database = TestDatabase.postgresql();
		dataSource = new OutageDataSource(database);
		Outage.dataSource = dataSource;
		instance = new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--xref.oauth.client-id=client-1", "--xref.oauth.client-secret=secret-1",
					"--xref.oauth.redirect-uri=" + REDIRECT_URI, "--xref.oauth.login-uri=" + xref.baseUrl(),
					"--xref.oauth.api-uri=" + xref.baseUrl(), "--xref.oauth.store.type=jdbc",
					"--xref.oauth.store.jdbc.initialize-schema=never",
					"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=");
	}

	@AfterEach
	void databaseIsBack() {
		Outage.afterExchange = null;
		if (dataSource != null) {
			dataSource.recover();
			// Through the store, which evicts what the instance cached.
			store().deleteAccount("acct-1");
			database.jdbc().sql("DELETE FROM xref_account").update();
		}
		xref.revokeAccount("acct-1");
		xref.clearRequests();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (dataSource != null) {
			dataSource.close();
		}
		if (database != null) {
			database.close();
		}
		xref.close();
	}

	@Test
	void databaseGoneAfterTheExchangeLeavesNoTokenValidThatTheStoreDoesNotHold() throws Exception {
		Outage.afterExchange = dataSource::terminateAndRefuse;

		assertThat(connect()).isEqualTo("/?xref_error=store_failed");

		dataSource.recover();
		assertThat(store().findByTenant("alice")).isEmpty();
		assertThat(store().findByAccount("acct-1")).isEmpty();
		assertThat(xref.validTokens()).isEmpty();
	}

	@Test
	void databaseGoneDuringAReconnectKeepsTheTokenItHoldsValid() throws Exception {
		assertThat(connect()).isEqualTo("/");
		String held = store().findByTenant("alice").orElseThrow().accessToken();
		Outage.afterExchange = dataSource::terminateAndRefuse;

		assertThat(connect()).isEqualTo("/?xref_error=store_failed");

		dataSource.recover();
		assertThat(store().findByTenant("alice")).get().extracting(XrefConnection::accessToken).isEqualTo(held);
		assertThat(xref.validTokens()).isEqualTo(Set.of(held));
	}

	@Test
	void backendTerminatedAfterTheCommitIsASuccess() throws Exception {
		Outage.afterExchange = () -> dataSource.dieAfterNextCommit = true;

		assertThat(connect()).isEqualTo("/");

		assertThat(dataSource.diedAfterCommit).isTrue();
		XrefConnection stored = store().findByTenant("alice").orElseThrow();
		assertThat(xref.validTokens()).isEqualTo(Set.of(stored.accessToken()));
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
	}

	private XrefAccountStore store() {
		return instance.getBean(XrefAccountStore.class);
	}

	/**
	 * Alice presses Connect, allows at Xref and comes back; returns where she lands.
	 */
	private String connect() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) instance)
			.apply(springSecurity())
			.build();
		MockHttpServletResponse start = mvc.perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andReturn()
			.getResponse();
		Cookie browser = start.getCookie("XREF_CONNECT");
		String callback = xref.approve(Objects.requireNonNull(start.getRedirectedUrl()), "acct-1");
		return mvc.perform(get(URI.create(callback)).cookie(browser).with(user("alice")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
	}

	/**
	 * What happens to the database once Xref has issued a token.
	 */
	static final class Outage {

		static volatile OutageDataSource dataSource;

		static volatile Runnable afterExchange;

	}

	/**
	 * The application's pool, named in {@code pg_stat_activity} so that only its backends
	 * are terminated.
	 */
	static final class OutageDataSource extends DelegatingDataSource {

		private final TestDatabase database;

		private final String applicationName = "xref_outage_" + UUID.randomUUID().toString().substring(0, 8);

		volatile boolean refuse;

		volatile boolean dieAfterNextCommit;

		volatile boolean diedAfterCommit;

		OutageDataSource(TestDatabase database) {
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

		@Override
		public Connection getConnection() throws SQLException {
			if (this.refuse) {
				throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
			}
			Connection connection = obtainTargetDataSource().getConnection();
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, args) -> {
						Object result;
						try {
							result = method.invoke(connection, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getTargetException();
						}
						if (method.getName().equals("commit") && this.dieAfterNextCommit) {
							this.dieAfterNextCommit = false;
							terminate("pid = " + connection.unwrap(PGConnection.class).getBackendPID());
							this.diedAfterCommit = true;
							throw new SQLException("An I/O error occurred while sending to the backend", "08006");
						}
						return result;
					});
		}

		/** PostgreSQL goes away: the pool's backends end and new connections fail. */
		void terminateAndRefuse() {
			terminate("application_name = '" + this.applicationName + "'");
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Instance {

		@Bean
		DataSource dataSource() {
			return Outage.dataSource;
		}

		@Bean
		XrefTokenClient outageAfterExchange(
				@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
			XrefTokenClient tokenClient = new RestClientXrefTokenClient(registration, RestClient::create);
			return (code) -> {
				XrefTokenResponse token = tokenClient.exchange(code);
				Runnable outage = Outage.afterExchange;
				if (outage != null) {
					outage.run();
				}
				return token;
			};
		}

	}

}
