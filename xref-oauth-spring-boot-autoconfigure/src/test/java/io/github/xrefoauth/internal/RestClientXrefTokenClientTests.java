package io.github.xrefoauth.internal;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.token.XrefTokenException;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.github.xrefoauth.token.XrefUnusableTokenException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RestClientXrefTokenClientTests {

	private static final String SECRET = "s3cr3t-never-logged";

	private final MockWebServer server = new MockWebServer();

	private RestClientXrefTokenClient tokenClient;

	@BeforeEach
	void startServer() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String base = this.server.url("/").toString().replaceAll("/$", "");
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(HttpClient.newHttpClient());
		requestFactory.setReadTimeout(Duration.ofMillis(500));
		this.tokenClient = new RestClientXrefTokenClient(
				XrefClientRegistrations.create("client-1", SECRET, "https://app.example/cb", base, base),
				() -> RestClient.builder().requestFactory(requestFactory).build());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void tokenRequestIsJsonWithExactlyThreeFields() throws Exception {
		respond(200, "{\"access_token\":\"tok-1\",\"xref_account_id\":\"acct-1\"}");

		XrefTokenResponse response = this.tokenClient.exchange("code-1");

		assertThat(response).isEqualTo(new XrefTokenResponse("tok-1", "acct-1"));
		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth/tokens");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
		JsonNode body = JsonMapper.shared().readTree(request.getBody().utf8());
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("client_id", "client_secret", "code");
		assertThat(body.get("client_id").asString()).isEqualTo("client-1");
		assertThat(body.get("client_secret").asString()).isEqualTo(SECRET);
		assertThat(body.get("code").asString()).isEqualTo("code-1");
	}

	@Test
	void suppliedRestClientIsCreatedOnTheFirstExchangeOnly() {
		String base = this.server.url("/").toString().replaceAll("/$", "");
		AtomicInteger created = new AtomicInteger();
		RestClientXrefTokenClient lazyClient = new RestClientXrefTokenClient(
				XrefClientRegistrations.create("client-1", SECRET, "https://app.example/cb", base, base), () -> {
					created.incrementAndGet();
					return RestClient.create();
				});
		assertThat(created).hasValue(0);
		respond(200, "{\"access_token\":\"tok-1\",\"xref_account_id\":\"acct-1\"}");
		respond(200, "{\"access_token\":\"tok-2\",\"xref_account_id\":\"acct-1\"}");

		assertThat(lazyClient.exchange("code-1").accessToken()).isEqualTo("tok-1");
		assertThat(lazyClient.exchange("code-2").accessToken()).isEqualTo("tok-2");
		assertThat(created).hasValue(1);
	}

	@Test
	void errorStatusIsAFailureThatNamesOnlyTheStatus() {
		respond(400, "{\"error\":\"invalid_grant\",\"echo\":\"" + SECRET + "\"}");

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessage("Xref token endpoint answered HTTP 400");
	}

	@Test
	void rateLimitIsAFailureCausedByTheRateLimitWithItsWait() {
		this.server.enqueue(new MockResponse.Builder().code(429)
			.addHeader("Content-Type", "application/json")
			.addHeader("Retry-After", "7")
			.body("{\"echo\":\"" + SECRET + "\"}")
			.build());

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessage("Xref token endpoint answered HTTP 429")
			.havingCause()
			.isInstanceOfSatisfying(XrefRateLimitedException.class,
					(ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(7)))
			.withMessageNotContaining(SECRET);
	}

	@Test
	void serverErrorIsAFailure() {
		respond(500, "oops");

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessageContaining("HTTP 500");
	}

	@Test
	void bodyThatIsNotJsonIsAFailure() {
		respond(200, "<html>maintenance</html>");

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessageContaining("not JSON");
	}

	@Test
	void bodyWithoutAccountIdIsAFailureThatHandsOverTheTokenToRevoke() {
		respond(200, "{\"access_token\":\"tok-1\"}");
		respond(200, "{\"access_token\":\"tok-2\",\"xref_account_id\":42}");

		assertThatExceptionOfType(XrefUnusableTokenException.class)
			.isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessageContaining("xref_account_id")
			.withMessageNotContaining("tok-1")
			.satisfies((ex) -> assertThat(ex.getAccessToken()).isEqualTo("tok-1"));
		assertThatExceptionOfType(XrefUnusableTokenException.class)
			.isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.satisfies((ex) -> assertThat(ex.getAccessToken()).isEqualTo("tok-2"));
	}

	@Test
	void bodyWithEmptyOrNonTextTokenIsAFailure() {
		respond(200, "{\"access_token\":\"\",\"xref_account_id\":\"acct-1\"}");
		respond(200, "{\"access_token\":42,\"xref_account_id\":\"acct-1\"}");
		respond(200, "[\"access_token\",\"xref_account_id\"]");

		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
				.isNotInstanceOf(XrefUnusableTokenException.class);
		}
	}

	@Test
	void slowAnswerIsAFailureAfterTheReadTimeout() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.body("{\"access_token\":\"tok-1\",\"xref_account_id\":\"acct-1\"}")
			.headersDelay(3, TimeUnit.SECONDS)
			.build());

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"))
			.withMessageContaining("could not be reached");
	}

	@Test
	void unreachableServerIsAFailure() {
		this.server.close();

		assertThatExceptionOfType(XrefTokenException.class).isThrownBy(() -> this.tokenClient.exchange("code-1"));
	}

	private void respond(int code, String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
	}

}
