package io.github.xrefoauth.jdbc;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.RevokingXref;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL database: a member of the tenant disconnects on one
 * while another member connects the account anew on the other.
 */
class JdbcPostgreSqlDisconnectAcrossInstancesTests {

	private final RevokingXref xref = new RevokingXref();

	private final MockWebServer server = new MockWebServer();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private TestDatabase database;

	private JdbcXrefAccountStore storeA;

	private JdbcXrefAccountStore storeB;

	private XrefConnectionService serviceA;

	@BeforeEach
	void setUp() throws Exception {
		this.database = TestDatabase.postgresql();
		this.storeA = new JdbcXrefAccountStore(this.database.dataSource(), TestCiphers.cipher("k1"));
		this.storeB = new JdbcXrefAccountStore(this.database.newDataSource(), TestCiphers.cipher("k1"));
		this.server.setDispatcher(this.xref);
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		XrefTenantContext tenantContext = new XrefTenantContext((authentication) -> "acme");
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(this.storeA, tenantContext, apiUri);
		interceptor.setApplicationEventPublisher(this.events::add);
		this.serviceA = new XrefConnectionService(this.storeA, tenantContext,
				RestClient.builder().baseUrl(apiUri).requestInterceptor(interceptor).build());
		this.serviceA.setApplicationEventPublisher(this.events::add);
		this.storeA.save("acme", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
		this.xref.issue("token-1");
		AliceOnPostgreSql.signIn();
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void disconnectWhileAnotherInstanceReconnectsKeepsTheNewerConnectionAndPublishesNothing() {
		this.xref.onDeauthorize(() -> {
			this.storeB.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "carol"));
			this.xref.issue("token-2");
			this.xref.revoke("token-1");
		});

		this.serviceA.disconnect();

		assertThat(this.xref.received()).containsExactly("token-1");
		assertThat(this.xref.honours("token-2")).isTrue();
		JdbcXrefAccountStore restarted = new JdbcXrefAccountStore(this.database.newDataSource(),
				TestCiphers.cipher("k1"));
		assertThat(restarted.findByTenant("acme")).map(XrefConnection::accessToken).contains("token-2");
		assertThat(this.events).isEmpty();
	}

	@Test
	void disconnectWithoutReconnectForgetsTheConnectionOnEveryInstance() {
		this.serviceA.disconnect();

		assertThat(this.xref.received()).containsExactly("token-1");
		JdbcXrefAccountStore restarted = new JdbcXrefAccountStore(this.database.newDataSource(),
				TestCiphers.cipher("k1"));
		assertThat(restarted.findByTenant("acme")).isEmpty();
		assertThat(this.events).hasSize(1);
	}

}
