package io.github.xrefoauth.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class XrefSimulatorTests {

	private static final String CALLBACK = "https://platform.example/integrations/xref";

	private final XrefSimulator xref = XrefSimulator.start().registerClient("client-1", "secret-1", CALLBACK);

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void stop() {
		this.xref.close();
	}

	@Test
	void consentPageOffersAllowAndDeny() throws Exception {
		HttpResponse<String> page = get("/oauth/open-api/client-1?state=abc");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"allow\"", "id=\"deny\"", "value=\"abc\"");
	}

	@Test
	void authorizeUrlWithUnknownClientOrExtraParametersIsRefused() throws Exception {
		assertThat(get("/oauth/open-api/other?state=abc").statusCode()).isEqualTo(404);
		assertThat(get("/oauth/open-api/client-1?state=abc&response_type=code").statusCode()).isEqualTo(400);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.xref.approve(authorizeUrl() + "&code_challenge=x", "acct-1"));
	}

	@Test
	void approveAndDenyRedirectToTheRegisteredUrlWithState() {
		assertThat(this.xref.approve(authorizeUrl(), "acct-1")).startsWith(CALLBACK + "?state=abc&code=");
		assertThat(this.xref.deny(authorizeUrl())).isEqualTo(CALLBACK + "?state=abc&error=access_denied");
	}

	@Test
	void codeIsValidOnceForTheRegisteredClient() throws Exception {
		String code = code("acct-1");

		HttpResponse<String> first = token(
				"{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\"" + code + "\"}");
		HttpResponse<String> second = token(
				"{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\"" + code + "\"}");

		assertThat(first.statusCode()).isEqualTo(200);
		JsonNode body = JsonMapper.shared().readTree(first.body());
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "xref_account_id");
		assertThat(body.get("xref_account_id").asString()).isEqualTo("acct-1");
		assertThat(second.statusCode()).isEqualTo(400);
	}

	@Test
	void codeExpiresAfterFiveMinutes() throws Exception {
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		this.xref.setClock(Clock.fixed(start, ZoneOffset.UTC));
		String code = code("acct-1");
		this.xref.setClock(Clock.fixed(start.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));

		assertThat(token("{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\"" + code + "\"}")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void tokenRequestMustBeJsonWithExactlyTheThreeFields() throws Exception {
		String code = code("acct-1");
		HttpResponse<String> form = send(HttpRequest.newBuilder(uri("/oauth/tokens"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("client_id=client-1&client_secret=secret-1&code=" + code))
			.build());
		HttpResponse<String> extraField = token("{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\""
				+ code + "\",\"grant_type\":\"authorization_code\"}");
		HttpResponse<String> wrongSecret = token(
				"{\"client_id\":\"client-1\",\"client_secret\":\"nope\",\"code\":\"" + code + "\"}");

		assertThat(form.statusCode()).isEqualTo(415);
		assertThat(extraField.statusCode()).isEqualTo(400);
		assertThat(wrongSecret.statusCode()).isEqualTo(401);
		assertThat(token("{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\"" + code + "\"}")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void apiAcceptsOnlyTheTokenSchemeAndDeauthorizeRevokesTheAccount() throws Exception {
		String token = accessToken("acct-1");

		assertThat(post("/auth", "Token " + token).statusCode()).isEqualTo(200);
		assertThat(post("/auth", "Bearer " + token).statusCode()).isEqualTo(401);
		HttpResponse<String> deauthorize = post("/oauth/deauthorize", "Token " + token);
		assertThat(deauthorize.statusCode()).isEqualTo(200);
		assertThat(deauthorize.body()).isEqualTo("{\"access_token\":\"" + token + "\"}");
		assertThat(post("/auth", "Token " + token).statusCode()).isEqualTo(401);
		assertThat(post("/oauth/deauthorize", "Token " + token).statusCode()).isEqualTo(401);
	}

	@Test
	void newTokenReplacesTheOldOneAndRevokeAtXrefEndsBoth() throws Exception {
		String first = accessToken("acct-1");
		String second = accessToken("acct-1");

		assertThat(post("/auth", "Token " + first).statusCode()).isEqualTo(401);
		assertThat(post("/auth", "Token " + second).statusCode()).isEqualTo(200);
		assertThat(get("/simulator").body()).contains("acct-1");
		assertThat(this.xref.revokeAccount("acct-1")).isTrue();
		assertThat(post("/auth", "Token " + second).statusCode()).isEqualTo(401);
	}

	@Test
	void independentTokensStayValidUntilEachIsDeauthorized() throws Exception {
		this.xref.independentTokens(true);
		String first = accessToken("acct-1");
		String second = accessToken("acct-1");

		assertThat(this.xref.validTokens()).containsExactlyInAnyOrder(first, second);
		assertThat(post("/oauth/deauthorize", "Token " + first).statusCode()).isEqualTo(200);
		assertThat(this.xref.validTokens()).containsExactly(second);
		assertThat(post("/auth", "Token " + second).statusCode()).isEqualTo(200);
	}

	@Test
	void injectedAnswersAreUsedOnceEachInOrderOnTheirPath() throws Exception {
		String token = accessToken("acct-1");
		this.xref.overrideNextResponse("/oauth/deauthorize",
				new MockResponse.Builder().code(302).addHeader("Location", "/login").build());
		this.xref.overrideNextResponse("/oauth/deauthorize", new MockResponse.Builder().code(403).build());

		assertThat(post("/auth", "Token " + token).statusCode()).isEqualTo(200);
		assertThat(post("/oauth/deauthorize", "Token " + token).statusCode()).isEqualTo(302);
		assertThat(post("/oauth/deauthorize", "Token " + token).statusCode()).isEqualTo(403);
		assertThat(this.xref.validTokens()).containsExactly(token);
		assertThat(post("/oauth/deauthorize", "Token " + token).statusCode()).isEqualTo(200);
		assertThat(this.xref.validTokens()).isEmpty();
		assertThat(this.xref.requests("/oauth/deauthorize")).hasSize(3);
	}

	private String authorizeUrl() {
		return this.xref.baseUrl() + "/oauth/open-api/client-1?state=abc";
	}

	private String code(String account) {
		String callback = this.xref.approve(authorizeUrl(), account);
		return callback.substring(callback.indexOf("code=") + 5);
	}

	private String accessToken(String account) throws Exception {
		HttpResponse<String> response = token(
				"{\"client_id\":\"client-1\",\"client_secret\":\"secret-1\",\"code\":\"" + code(account) + "\"}");
		return JsonMapper.shared().readTree(response.body()).get("access_token").asString();
	}

	private HttpResponse<String> token(String json) throws Exception {
		return send(HttpRequest.newBuilder(uri("/oauth/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private HttpResponse<String> post(String path, String authorization) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", authorization)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	private URI uri(String path) {
		return URI.create(this.xref.baseUrl() + path);
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
