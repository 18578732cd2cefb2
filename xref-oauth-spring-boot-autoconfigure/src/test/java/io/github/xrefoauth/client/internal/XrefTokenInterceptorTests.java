package io.github.xrefoauth.client.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefRequestAttributes;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class XrefTokenInterceptorTests {

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private RestClient restClient;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		XrefTenantContext tenants = new XrefTenantContext((authentication) -> "tenant-of-" + authentication.getName());
		this.restClient = RestClient.builder()
			.baseUrl(this.server.url("/").toString())
			.requestInterceptor(new XrefTokenInterceptor(this.store, tenants, this.server.url("/").toString()))
			.build();
		this.store.save("tenant-of-alice", connection("acct-1", "token-1"));
		this.store.save("batch", connection("acct-2", "token-2"));
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@Test
	void authenticatedEndUserCallsWithTheTokenOfTheirTenant() throws Exception {
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));

		call(null);

		assertThat(authorizationHeader()).isEqualTo("Token token-1");
	}

	@Test
	void accountNamedExplicitlyNeedsNoEndUser() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.restClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-2"))
			.retrieve()
			.toBodilessEntity();

		assertThat(authorizationHeader()).isEqualTo("Token token-2");
	}

	@Test
	void callThatNamesAnAccountOrTenantRunsNoTenantResolver() throws Exception {
		AtomicInteger resolved = new AtomicInteger();
		XrefTenantContext counting = new XrefTenantContext((authentication) -> {
			resolved.incrementAndGet();
			return "tenant-of-" + authentication.getName();
		});
		RestClient counted = RestClient.builder()
			.baseUrl(this.server.url("/").toString())
			.requestInterceptor(new XrefTokenInterceptor(this.store, counting, this.server.url("/").toString()))
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(200).build());
		}

		counted.post().uri("/auth").attributes(XrefRequestAttributes.account("acct-2")).retrieve().toBodilessEntity();
		counted.post().uri("/auth").attributes(XrefRequestAttributes.tenant("batch")).retrieve().toBodilessEntity();
		assertThat(resolved).hasValue(0);
		counted.post().uri("/auth").retrieve().toBodilessEntity();

		assertThat(resolved).hasValue(1);
		assertThat(authorizationHeader()).isEqualTo("Token token-2");
		assertThat(authorizationHeader()).isEqualTo("Token token-2");
		assertThat(authorizationHeader()).isEqualTo("Token token-1");
	}

	@Test
	void tenantNamedExplicitlyNeedsNoEndUser() throws Exception {
		call("batch");

		assertThat(authorizationHeader()).isEqualTo("Token token-2");
	}

	@Test
	void withoutEndUserOrNamedAccountNothingIsSent() {
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> call(null));
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> this.restClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("unknown"))
			.retrieve()
			.toBodilessEntity());
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void tokenIsNeverSentToAnotherOrigin() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.restClient.post()
				.uri(this.server.url("/auth").newBuilder().port(this.server.getPort() + 1).build().uri())
				.attributes(XrefRequestAttributes.tenant("batch"))
				.retrieve()
				.toBodilessEntity())
			.withMessageContaining("only to http://" + this.server.getHostName() + ":" + this.server.getPort())
			.withMessageNotContaining("token-2");
		assertThatIllegalArgumentException().isThrownBy(() -> this.restClient.post()
			.uri("https://evil.example/steal")
			.attributes(XrefRequestAttributes.tenant("batch"))
			.retrieve()
			.toBodilessEntity());
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void endUserWithoutTenantIsNotConnected() {
		XrefTenantContext noTenants = new XrefTenantContext((authentication) -> null);
		RestClient client = RestClient.builder()
			.baseUrl(this.server.url("/").toString())
			.requestInterceptor(new XrefTokenInterceptor(this.store, noTenants, this.server.url("/").toString()))
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));

		assertThatExceptionOfType(XrefNotConnectedException.class)
			.isThrownBy(() -> client.post().uri("/auth").retrieve().toBodilessEntity());
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void unauthorizedAnswerForgetsTheRevokedToken() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class).isThrownBy(() -> call("batch"));

		assertThat(this.store.findByAccount("acct-2")).isEmpty();
		assertThat(this.store.findByTenant("batch")).isEmpty();
		assertThat(this.store.findByAccount("acct-1")).isPresent();
	}

	@Test
	void unauthorizedAnswerForATokenReplacedMeanwhileIsSentOnceMoreWithTheNewerToken() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.restClient = this.restClient.mutate().requestInterceptor((request, body, execution) -> {
			this.store.save("batch", connection("acct-2", "token-2-new"));
			return execution.execute(request, body);
		}).build();

		call("batch");

		assertThat(authorizationHeader()).isEqualTo("Token token-2");
		assertThat(authorizationHeader()).isEqualTo("Token token-2-new");
		assertThat(this.store.findByAccount("acct-2")).get()
			.extracting(XrefConnection::accessToken)
			.isEqualTo("token-2-new");
	}

	private void call(String tenant) {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		RestClient.RequestBodySpec spec = this.restClient.post().uri("/auth");
		if (tenant != null) {
			spec.attributes(XrefRequestAttributes.tenant(tenant));
		}
		spec.retrieve().toBodilessEntity();
	}

	private String authorizationHeader() throws InterruptedException {
		return this.server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization");
	}

	private static XrefConnection connection(String account, String token) {
		return new XrefConnection(account, token, Instant.now(), "alice");
	}

}
