package io.github.xrefoauth.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.token.XrefTokenException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RestClientXrefTokenRevokerTests {

	private final MockWebServer server = new MockWebServer();

	private RestClientXrefTokenRevoker revoker;

	@BeforeEach
	void start() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		this.revoker = new RestClientXrefTokenRevoker(this.server.url("/oauth/deauthorize").toString(),
				RestClient::create);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void revokesWithTheTokenHeaderAndAcceptsTheRevokedToken() throws Exception {
		this.server.enqueue(json(200, "{\"access_token\":\"token-1\"}"));

		assertThatNoException().isThrownBy(() -> this.revoker.revoke("token-1"));

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getRequestLine()).isEqualTo("POST /oauth/deauthorize HTTP/1.1");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token-1");
	}

	@Test
	void tokenThatXrefNoLongerKnowsCountsAsRevoked() {
		this.server.enqueue(json(401, "{\"error\":\"unauthorized\"}"));

		assertThatNoException().isThrownBy(() -> this.revoker.revoke("token-1"));
	}

	@ParameterizedTest
	@MethodSource("unconfirmed")
	void anyOtherAnswerIsAFailureThatNamesNeitherTheTokenNorTheBody(MockResponse answer) {
		this.server.enqueue(answer);

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.revoker.revoke("token-1"))
			.withMessageStartingWith("Xref deauthorize endpoint answered HTTP ")
			.withMessageNotContaining("token-1")
			.withMessageNotContaining("other");
	}

	@Test
	void rateLimitIsAFailureCausedByTheRateLimitWithItsWait() {
		this.server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.revoker.revoke("token-1"))
			.withMessage("Xref deauthorize endpoint answered HTTP 429 without confirming the revocation")
			.havingCause()
			.isInstanceOfSatisfying(XrefRateLimitedException.class,
					(ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void unreachableXrefIsAFailure() {
		this.server.close();

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.revoker.revoke("token-1"))
			.withMessageStartingWith("Xref deauthorize endpoint could not be reached");
	}

	static Stream<MockResponse> unconfirmed() {
		return Stream.of(json(200, "{}"), json(200, "{\"access_token\":\"other\"}"), json(200, "other"),
				new MockResponse.Builder().code(302).addHeader("Location", "/other").build(),
				new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "text/html")
					.body("<p>other</p>")
					.build(),
				new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "text/plain")
					.body("{\"access_token\":\"token-1\"}")
					.build(),
				json(403, "{\"error\":\"other\"}"), json(500, "{\"access_token\":\"token-1\"}"));
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

}
