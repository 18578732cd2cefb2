package io.github.xrefoauth.account.reactive;

import java.net.InetAddress;
import java.time.Instant;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.reactive.XrefTokenExchangeFilterFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@link ReactiveXrefConnectionService} takes for an answer of Xref: only a 2xx JSON
 * object, and for deauthorize one that names the revoked token.
 */
class ReactiveXrefConnectionServiceTests {

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private ReactiveXrefConnectionService service;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		XrefTenantResolver tenants = (authentication) -> "acme";
		ReactiveXrefAccountStore reactiveStore = new ReactiveXrefAccountStore(this.store);
		ReactiveXrefTenantContext tenantContext = new ReactiveXrefTenantContext(tenants);
		String apiUri = this.server.url("/").toString();
		WebClient webClient = WebClient.builder()
			.baseUrl(apiUri)
			.filter(new XrefTokenExchangeFilterFunction(reactiveStore, tenantContext, null, apiUri))
			.build();
		this.service = new ReactiveXrefConnectionService(reactiveStore, tenantContext, webClient);
		this.store.save("acme", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
	}

	@AfterEach
	void tearDown() {
		this.server.close();
	}

	@Test
	void verifyIsTrueOnlyForA2xxJsonAnswer() throws Exception {
		this.server.enqueue(json(200, "{}"));
		assertThat(asAlice(this.service.verify())).isTrue();
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1");

		for (MockResponse answer : new MockResponse[] { redirect(), html(200), json(500, "{}"), json(403, "{}"),
				json(200, "not json") }) {
			this.server.enqueue(answer);
			assertThatExceptionOfType(XrefUnexpectedResponseException.class)
				.isThrownBy(() -> asAlice(this.service.verify()))
				.withMessageContaining("/auth")
				.withMessageNotContaining("token-1");
			assertThat(this.store.findByTenant("acme")).isPresent();
		}
	}

	@Test
	void verifyIsFalseAndForgetsTheTokenOn401() {
		this.server.enqueue(json(401, "{}"));

		assertThat(asAlice(this.service.verify())).isFalse();

		assertThat(this.store.findByTenant("acme")).isEmpty();
	}

	@Test
	void disconnectForgetsOnlyWhenXrefNamesTheRevokedToken() {
		for (MockResponse answer : new MockResponse[] { redirect(), html(200), json(200, "{}"),
				json(200, "{\"access_token\":\"another-token\"}"), json(403, "{}"), json(404, "{}"),
				json(500, "{}") }) {
			this.server.enqueue(answer);
			assertThatExceptionOfType(XrefUnexpectedResponseException.class)
				.isThrownBy(() -> asAlice(this.service.disconnect()))
				.withMessageContaining("/oauth/deauthorize")
				.withMessageNotContaining("token-1");
			assertThat(this.store.findByTenant("acme")).isPresent();
		}

		this.server.enqueue(json(200, "{\"access_token\":\"token-1\"}"));
		asAlice(this.service.disconnect());

		assertThat(this.store.findByTenant("acme")).isEmpty();
	}

	@Test
	void disconnectOfATokenXrefNoLongerAcceptsForgetsIt() {
		this.server.enqueue(json(401, "{}"));

		asAlice(this.service.disconnect());

		assertThat(this.store.findByTenant("acme")).isEmpty();
	}

	@Test
	void forgetCallsNoXref() {
		assertThat(asAlice(this.service.forget())).isTrue();

		assertThat(this.store.findByTenant("acme")).isEmpty();
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(asAlice(this.service.forget())).isFalse();
	}

	@Test
	void withoutConnectionNothingIsSent() {
		this.store.deleteAccount("acct-1");

		assertThat(asAlice(this.service.current())).isNull();
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.verify()));
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> asAlice(this.service.disconnect()));
		assertThat(this.server.getRequestCount()).isZero();
	}

	private static <T> T asAlice(Mono<T> call) {
		return call
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER")))
			.block();
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static MockResponse html(int status) {
		return new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "text/html")
			.body("<html>login</html>")
			.build();
	}

	private static MockResponse redirect() {
		return new MockResponse.Builder().code(302).addHeader("Location", "/login").build();
	}

}
