package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectSettling;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
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
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
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
 * PostgreSQL fails a connect's write in a way that leaves its outcome unknown: the driver
 * reports a broken connection at the commit, and new connections are refused, so the
 * store cannot be read back. The connect answers {@code outcome_pending} and nothing is
 * revoked; once PostgreSQL is back, the doubt is settled by what the database holds: a
 * committed token stays valid and in use, an uncommitted one is revoked. A second
 * application instance on the same database, whose connections are not refused, uses a
 * committed token meanwhile.
 */
class PostgreSqlConnectInDoubtTests {

	private static final String REDIRECT_URI = "http://localhost/integrations/xref";

	private static final XrefSimulator xref = XrefSimulator.start()
		.registerClient("client-1", "secret-1", REDIRECT_URI)
		.independentTokens(true);

	private static final List<Object> events = new CopyOnWriteArrayList<>();

	private static TestDatabase database;

	private static DoubtDataSource dataSource;

	private static ConfigurableApplicationContext instance;

	private static ConfigurableApplicationContext other;

	@BeforeAll
	static void start() {
		database = TestDatabase.postgresql();
		dataSource = new DoubtDataSource(database);
		Doubt.dataSource = dataSource;
		instance = new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--xref.oauth.client-id=client-1", "--xref.oauth.client-secret=secret-1",
					"--xref.oauth.redirect-uri=" + REDIRECT_URI, "--xref.oauth.login-uri=" + xref.baseUrl(),
					"--xref.oauth.api-uri=" + xref.baseUrl(), "--xref.oauth.store.type=jdbc",
					"--xref.oauth.store.jdbc.initialize-schema=never",
					"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=");
		other = new SpringApplicationBuilder(Other.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--spring.datasource.url=" + database.url(),
					"--spring.datasource.username=" + database.username(), "--xref.oauth.client-id=client-1",
					"--xref.oauth.client-secret=secret-1", "--xref.oauth.redirect-uri=" + REDIRECT_URI,
					"--xref.oauth.login-uri=" + xref.baseUrl(), "--xref.oauth.api-uri=" + xref.baseUrl(),
					"--xref.oauth.store.type=jdbc", "--xref.oauth.store.jdbc.initialize-schema=never",
					"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=");
	}

	@AfterEach
	void databaseIsBack() {
		SecurityContextHolder.clearContext();
		Doubt.afterExchange = null;
		if (dataSource != null) {
			dataSource.recover();
			XrefConnectSettling.settleNow(instance.getBean(XrefConnectManager.class));
			// Through the store, so that no instance keeps the connection in its cache.
			other.getBean(XrefAccountStore.class).deleteAccount("acct-1");
			database.jdbc().sql("DELETE FROM xref_tenant").update();
			database.jdbc().sql("DELETE FROM xref_account").update();
		}
		xref.revokeAccount("acct-1");
		xref.clearRequests();
		events.clear();
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (other != null) {
			other.close();
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
	void writeCommittedButReportedBrokenIsPendingThenSettledAsConnectedWithTheTokenValid() throws Exception {
		Doubt.afterExchange = () -> dataSource.commitThenBreak = true;

		assertThat(connect()).isEqualTo("/?xref_error=outcome_pending");

		assertThat(dataSource.brokeAfterCommit).isTrue();
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(events).isEmpty();
		assertThat(XrefConnectSettling.settleNow(manager())).as("PostgreSQL still refuses").isZero();
		// The other instance reads the committed connection and calls Xref with it:
		// revoking the token in doubt would have broken a working connection.
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
		assertThat(other.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);

		dataSource.recover();
		assertThat(XrefConnectSettling.settleNow(manager())).isOne();

		String stored = store().findByTenant("alice").orElseThrow().accessToken();
		assertThat(xref.validTokens()).isEqualTo(Set.of(stored));
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(events).singleElement()
			.isInstanceOfSatisfying(XrefConnectedEvent.class,
					(event) -> assertThat(event.xrefAccountId()).isEqualTo("acct-1"));
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
		assertThat(instance.getBean(XrefConnectionService.class).verify()).isEqualTo(XrefVerification.ACCEPTED);
	}

	@Test
	void writeBrokenBeforeTheCommitIsPendingThenSettledByRevokingTheToken() throws Exception {
		Doubt.afterExchange = () -> dataSource.breakBeforeCommit = true;

		assertThat(connect()).isEqualTo("/?xref_error=outcome_pending");

		assertThat(dataSource.brokeBeforeCommit).isTrue();
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		assertThat(xref.validTokens()).as("kept aside, not yet revoked").hasSize(1);
		assertThat(other.getBean(XrefAccountStore.class).findByTenant("alice")).as("on the other instance").isEmpty();

		dataSource.recover();
		assertThat(XrefConnectSettling.settleNow(manager())).isOne();

		assertThat(store().findByTenant("alice")).isEmpty();
		assertThat(store().findByAccount("acct-1")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
		assertThat(xref.validTokens()).isEmpty();
		assertThat(events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event.reason()).isEqualTo(XrefConnectFailure.STORE_FAILED));
	}

	private static XrefConnectManager manager() {
		return instance.getBean(XrefConnectManager.class);
	}

	private static XrefAccountStore store() {
		return instance.getBean(XrefAccountStore.class);
	}

	/**
	 * Alice presses Connect, allows at Xref and comes back; returns where she lands.
	 */
	private static String connect() throws Exception {
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
	static final class Doubt {

		static volatile DoubtDataSource dataSource;

		static volatile Runnable afterExchange;

	}

	/**
	 * The application's pool. At the next commit its connection either commits and then
	 * reports a broken connection, or is broken (its backend terminated) and reports so
	 * without committing; from then on new connections are refused until
	 * {@link #recover()}.
	 */
	static final class DoubtDataSource extends DelegatingDataSource {

		private final TestDatabase database;

		private final String applicationName = "xref_doubt_" + UUID.randomUUID().toString().substring(0, 8);

		volatile boolean refuse;

		volatile boolean commitThenBreak;

		volatile boolean breakBeforeCommit;

		volatile boolean brokeAfterCommit;

		volatile boolean brokeBeforeCommit;

		DoubtDataSource(TestDatabase database) {
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
						if (method.getName().equals("commit") && this.breakBeforeCommit) {
							this.breakBeforeCommit = false;
							terminate(connection.unwrap(PGConnection.class).getBackendPID());
							this.refuse = true;
							this.brokeBeforeCommit = true;
							throw new SQLException("An I/O error occurred while sending to the backend", "08006");
						}
						Object result;
						try {
							result = method.invoke(connection, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getTargetException();
						}
						if (method.getName().equals("commit") && this.commitThenBreak) {
							this.commitThenBreak = false;
							this.refuse = true;
							this.brokeAfterCommit = true;
							throw new SQLException("An I/O error occurred while sending to the backend", "08006");
						}
						return result;
					});
		}

		/** Terminates one backend of this pool from a connection of its own. */
		private void terminate(int pid) {
			try (Connection admin = DriverManager.getConnection(this.database.url(), this.database.username(), "");
					Statement terminate = admin.createStatement()) {
				terminate.executeQuery("SELECT pg_terminate_backend(" + pid + ")");
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
			return Doubt.dataSource;
		}

		@Bean
		static BeanPostProcessor settledByTheTestOnly() {
			return XrefConnectSettling.settledByTheTestOnly();
		}

		@EventListener
		void record(Object event) {
			if (event instanceof XrefConnectedEvent || event instanceof XrefConnectFailedEvent) {
				events.add(event);
			}
		}

		@Bean
		XrefTokenClient doubtAfterExchange(
				@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
			XrefTokenClient tokenClient = new RestClientXrefTokenClient(registration, RestClient::create);
			return (code) -> {
				XrefTokenResponse token = tokenClient.exchange(code);
				Runnable doubt = Doubt.afterExchange;
				if (doubt != null) {
					doubt.run();
				}
				return token;
			};
		}

	}

	/**
	 * The other application instance: the same database, through a pool of its own.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Other {

	}

}
