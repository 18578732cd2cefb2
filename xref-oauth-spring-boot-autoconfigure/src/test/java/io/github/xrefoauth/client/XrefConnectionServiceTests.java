package io.github.xrefoauth.client;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.StaleReads;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@ExtendWith(OutputCaptureExtension.class)
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
		this.server.enqueue(json(200, "{\"xref_account_id\":\"acct-1\"}"));

		assertThat(this.service.verify()).isEqualTo(XrefVerification.ACCEPTED);

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getRequestLine()).isEqualTo("POST /auth HTTP/1.1");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token-1");
	}

	@Test
	void verifyOfARevokedTokenForgetsTheConnection() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThat(this.service.verify()).isEqualTo(XrefVerification.FORGOTTEN);
		assertThat(this.service.current()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("answersThatAreNotJson")
	void verifyCountsOnlyA2xxJsonAnswerAsAccepted(MockResponse answer, String named) {
		this.server.enqueue(answer);

		assertThatExceptionOfType(XrefApiException.class).isThrownBy(this.service::verify)
			.withMessageStartingWith("Xref answered POST /auth with " + named)
			.withMessageNotContaining("token-1")
			.withMessageNotContaining("<html>");
		assertThat(this.store.findByTenant("acme")).isPresent();
	}

	@Test
	void lateRejectionOfAReplacedTokenKeepsTheNewerConnection() {
		XrefTenantContext tenants = new XrefTenantContext((authentication) -> "acme");
		XrefConnection old = this.store.findByTenant("acme").orElseThrow();
		this.store.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "bob"));
		XrefConnectionService readsTheOldToken = new XrefConnectionService(new StaleReads(this.store, old, 1), tenants,
				RestClient.builder().baseUrl(this.server.url("/").toString()).build());
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThat(readsTheOldToken.verify()).isEqualTo(XrefVerification.REPLACED);
		assertThat(this.store.findByTenant("acme")).get().extracting(XrefConnection::accessToken).isEqualTo("token-2");
	}

	@ParameterizedTest
	@MethodSource("answersThatAreNotTheRevokedToken")
	void disconnectCountsOnlyTheRevokedTokenAsRevoked(MockResponse answer, String named) {
		this.server.enqueue(answer);

		assertThatExceptionOfType(XrefApiException.class).isThrownBy(this.service::disconnect)
			.withMessageStartingWith("Xref answered POST /oauth/deauthorize with " + named)
			.withMessageNotContaining("token-1")
			.withMessageNotContaining("other-token")
			.satisfies((ex) -> assertThat(ex.isRefusal()).isFalse());
		assertThat(this.store.findByTenant("acme")).isPresent();
	}

	@Test
	void disconnectThatXrefRefusesForGoodIsARefusalAndForgetEndsTheConnection(CapturedOutput output) {
		this.server.enqueue(json(403, "{\"error\":\"forbidden\"}"));

		assertThatExceptionOfType(XrefApiException.class).isThrownBy(this.service::disconnect)
			.satisfies((ex) -> assertThat(ex.isRefusal()).isTrue())
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(403));
		assertThat(this.store.findByTenant("acme")).isPresent();

		this.service.forget();

		assertThat(this.store.findByAccount("acct-1")).isEmpty();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(output).contains("Forgot Xref account acct-1 without revoking its token").doesNotContain("token-1");
	}

	static Stream<Arguments> answersThatAreNotJson() {
		return Stream.of(arguments(redirect(302), "HTTP 302 (no content type)"),
				arguments(redirect(303), "HTTP 303 (no content type)"), arguments(html(200), "HTTP 200 (text/html)"),
				arguments(new MockResponse.Builder().code(204).build(), "HTTP 204 (no content type)"),
				arguments(json(200, "not json"), "HTTP 200 (application/json)"),
				arguments(new MockResponse.Builder().code(200).body("{}").build(), "HTTP 200 (no content type)"),
				arguments(json(403, "{}"), "HTTP 403 (application/json)"),
				arguments(html(500), "HTTP 500 (text/html)"));
	}

	static Stream<Arguments> answersThatAreNotTheRevokedToken() {
		return Stream.concat(answersThatAreNotJson().filter((row) -> !row.get()[1].toString().contains("403")),
				Stream.of(arguments(json(200, "{}"), "HTTP 200 (application/json)"),
						arguments(json(200, "{\"access_token\":\"other-token\"}"), "HTTP 200 (application/json)"),
						arguments(json(200, "{\"access_token\":null}"), "HTTP 200 (application/json)"),
						arguments(json(200, "[\"token-1\"]"), "HTTP 200 (application/json)"),
						arguments(json(429, "{}"), "HTTP 429 (application/json)"),
						arguments(json(503, "{\"access_token\":\"token-1\"}"), "HTTP 503 (application/json)")));
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static MockResponse html(int code) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "text/html; charset=utf-8")
			.body("<html><body>Sign in token-1</body></html>")
			.build();
	}

	private static MockResponse redirect(int code) {
		return new MockResponse.Builder().code(code).addHeader("Location", "/login").build();
	}

	@Test
	void disconnectDeauthorizesAndForgetsTheAccount() throws Exception {
		this.server.enqueue(json(200, "{\"access_token\":\"token-1\"}"));

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
		XrefAccountStore staleReads = new StaleReads(this.store, stale, Integer.MAX_VALUE);
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

		assertThatExceptionOfType(XrefApiException.class).isThrownBy(this.service::disconnect)
			.withMessage("Xref answered POST /oauth/deauthorize with HTTP 503 (no content type): not a 2xx answer");

		assertThat(this.store.findByTenant("acme")).isPresent();
	}

}
