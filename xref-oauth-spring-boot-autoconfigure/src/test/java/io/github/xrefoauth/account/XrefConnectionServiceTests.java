package io.github.xrefoauth.account;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.client.XrefTokenInterceptor;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class XrefConnectionServiceTests {

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private XrefConnectionService service;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		XrefTenantContext tenants = new XrefTenantContext((authentication) -> "acme");
		RestClient restClient = RestClient.builder()
			.baseUrl(this.server.url("/").toString())
			.requestInterceptor(new XrefTokenInterceptor(this.store, tenants, this.server.url("/").toString()))
			.build();
		this.service = new XrefConnectionService(this.store, tenants, restClient);
		this.store.save("acme",
				new XrefConnection("acct-1", "token-1", Instant.parse("2026-01-01T10:00:00Z"), "alice"));
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("bob", "n/a", "ROLE_USER"));
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@Test
	void currentConnectionTellsWhoConnectedWhichAccountWhen() {
		assertThat(this.service.current()).hasValueSatisfying((connection) -> {
			assertThat(connection.xrefAccountId()).isEqualTo("acct-1");
			assertThat(connection.connectedBy()).isEqualTo("alice");
			assertThat(connection.connectedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
			assertThat(connection.toString()).doesNotContain("token-1");
		});
	}

	@Test
	void withoutEndUserThereIsNoCurrentConnection() {
		SecurityContextHolder.clearContext();

		assertThat(this.service.current()).isEmpty();
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(this.service::verify);
	}

	@Test
	void verifyPostsToAuthWithTheToken() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());

		assertThat(this.service.verify()).isTrue();

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getRequestLine()).isEqualTo("POST /auth HTTP/1.1");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token-1");
	}

	@Test
	void verifyOfARevokedTokenForgetsTheConnection() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThat(this.service.verify()).isFalse();
		assertThat(this.service.current()).isEmpty();
	}

	@Test
	void disconnectDeauthorizesAndForgetsTheAccount() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).body("{\"access_token\":\"token-1\"}").build());

		this.service.disconnect();

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getRequestLine()).isEqualTo("POST /oauth/deauthorize HTTP/1.1");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token-1");
		assertThat(this.store.findByAccount("acct-1")).isEmpty();
	}

	@Test
	void disconnectOfATokenXrefAlreadyRevokedStillForgetsIt() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		this.service.disconnect();

		assertThat(this.store.findByAccount("acct-1")).isEmpty();
	}

	@Test
	void disconnectWithAStaleReadLeavesANewerConnectionAlone() {
		XrefConnection stale = this.store.findByTenant("acme").orElseThrow();
		this.store.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "bob"));
		XrefTenantContext tenants = new XrefTenantContext((authentication) -> "acme");
		XrefAccountStore staleReads = new StaleReads(this.store, stale);
		RestClient restClient = RestClient.builder().baseUrl(this.server.url("/").toString()).build();
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		new XrefConnectionService(staleReads, tenants, restClient).disconnect();

		assertThat(this.store.findByAccount("acct-1")).get()
			.extracting(XrefConnection::accessToken)
			.isEqualTo("token-2");
	}

	@Test
	void disconnectThatXrefCouldNotDoKeepsTheConnectionForAnotherTry() {
		this.server.enqueue(new MockResponse.Builder().code(503).build());

		assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(this.service::disconnect);

		assertThat(this.store.findByTenant("acme")).isPresent();
	}

	/**
	 * A store whose reads lag behind, like a cache on another instance.
	 */
	private record StaleReads(XrefAccountStore store, XrefConnection stale) implements XrefAccountStore {

		@Override
		public void save(String tenantKey, XrefConnection connection) {
			this.store.save(tenantKey, connection);
		}

		@Override
		public Optional<XrefConnection> findByTenant(String tenantKey) {
			return Optional.of(this.stale);
		}

		@Override
		public Optional<XrefConnection> findByAccount(String xrefAccountId) {
			return Optional.of(this.stale);
		}

		@Override
		public boolean deleteAccount(String xrefAccountId) {
			return this.store.deleteAccount(xrefAccountId);
		}

		@Override
		public boolean deleteByAccessToken(String accessToken) {
			return this.store.deleteByAccessToken(accessToken);
		}

	}

}
