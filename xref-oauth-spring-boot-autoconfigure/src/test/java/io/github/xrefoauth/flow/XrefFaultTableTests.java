package io.github.xrefoauth.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

/**
 * Every fault of Xref's token endpoint, {@code POST /auth} and
 * {@code POST /oauth/deauthorize}, injected at the simulator: each status class,
 * redirects, an HTML page, JSON of another shape, a slow answer and a refused connection.
 * Each row asserts what the end user or the application sees, whether the connection is
 * stored, and whether the token is still valid at Xref.
 */
class XrefFaultTableTests {

	static final String ACCOUNT = "acct-globex";

	static final String FAILED = "/connect-failed?xref_error=token_exchange_failed";

	static final XrefSimulator xref = XrefSimulator.start()
		.registerClient(XrefFlowSupport.CLIENT_ID, XrefFlowSupport.CLIENT_SECRET, XrefFlowSupport.REDIRECT_URI);

	/** An instance whose {@code api-uri} is the simulator. */
	static ConfigurableApplicationContext reachable;

	/** An instance whose {@code api-uri} is a port where nothing listens. */
	static ConfigurableApplicationContext refused;

	@BeforeAll
	static void startInstances() {
		reachable = start(xref.baseUrl());
		refused = start("http://127.0.0.1:" + closedPort());
	}

	@AfterAll
	static void stopInstances() {
		Stream.of(reachable, refused)
			.filter((instance) -> instance != null)
			.forEach(ConfigurableApplicationContext::close);
		xref.close();
	}

	@AfterEach
	void forget() {
		SecurityContextHolder.clearContext();
		Stream.of(reachable, refused).forEach((instance) -> store(instance).deleteAccount(ACCOUNT));
		xref.revokeAccount(ACCOUNT);
		xref.clearRequests();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void faultEndsTruthfullyAndLosesNoToken(Row row) throws Exception {
		ConfigurableApplicationContext instance = row.refused() ? refused : reachable;
		String token = "none";
		if (row.endpoint() != Endpoint.TOKEN) {
			token = connect(reachable);
			store(instance).save("globex", store(reachable).findByTenant("globex").orElseThrow());
			if (row.revokedAtXrefFirst()) {
				xref.revokeAccount(ACCOUNT);
			}
		}
		if (row.answer() != null) {
			xref.overrideNextResponse(row.endpoint().path, row.answer().get());
		}

		// Carol calls the service outside a request, as a scheduled job would.
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("carol", "n/a", "ROLE_USER"));
		String seen = switch (row.endpoint()) {
			case TOKEN -> connectSeen(instance);
			case AUTH -> outcome(token, () -> connections(instance).verify().name());
			case DEAUTHORIZE -> outcome(token, () -> {
				connections(instance).disconnect();
				return "disconnected";
			});
		};

		assertThat(seen).as("what the end user sees").isEqualTo(row.seen());
		XrefConnection stored = store(instance).findByTenant("globex").orElse(null);
		assertThat(stored != null).as("whether the connection is stored").isEqualTo(row.stored());
		if (row.endpoint() == Endpoint.TOKEN) {
			assertThat(xref.validTokens()).as("tokens valid at Xref")
				.isEqualTo((stored != null) ? Set.of(stored.accessToken()) : Set.of());
		}
		else {
			assertThat(xref.validTokens().contains(token)).as("whether the token is valid at Xref")
				.isEqualTo(row.validAtXref());
		}
		assertThat(xref.requests("/login")).as("redirects followed").isEmpty();
		if (row.seen().endsWith("refusal")) {
			connections(instance).forget();
			assertThat(store(instance).findByTenant("globex")).as("forgotten").isEmpty();
			assertThat(xref.validTokens()).as("forget leaves the token valid at Xref").contains(token);
		}
	}

	static Stream<Row> faults() {
		return Stream.of(
				// POST /oauth/tokens: anything but 2xx JSON with both fields stores
				// nothing
				row(Endpoint.TOKEN, "200 with both fields", null, "/connected", true, true),
				row(Endpoint.TOKEN, "204 without body", () -> plain(204, null, null), FAILED, false, false),
				row(Endpoint.TOKEN, "302 to a login page", () -> redirect(302), FAILED, false, false),
				row(Endpoint.TOKEN, "303 to a login page", () -> redirect(303), FAILED, false, false),
				row(Endpoint.TOKEN, "200 HTML page", () -> html(200), FAILED, false, false),
				row(Endpoint.TOKEN, "200 {}", () -> json(200, "{}"), FAILED, false, false),
				row(Endpoint.TOKEN, "200 without xref_account_id", () -> json(200, "{\"access_token\":\"t\"}"), FAILED,
						false, false),
				row(Endpoint.TOKEN, "400 invalid_grant", () -> json(400, "{\"error\":\"invalid_grant\"}"), FAILED,
						false, false),
				row(Endpoint.TOKEN, "401 invalid_client", () -> json(401, "{\"error\":\"invalid_client\"}"), FAILED,
						false, false),
				row(Endpoint.TOKEN, "403", () -> json(403, "{}"), FAILED, false, false),
				row(Endpoint.TOKEN, "404 HTML", () -> html(404), FAILED, false, false),
				row(Endpoint.TOKEN, "429", () -> json(429, "{}"), FAILED, false, false),
				row(Endpoint.TOKEN, "500", () -> json(500, "{}"), FAILED, false, false),
				row(Endpoint.TOKEN, "503 HTML", () -> html(503), FAILED, false, false),
				row(Endpoint.TOKEN, "slow", XrefFaultTableTests::slow, FAILED, false, false),
				refusedRow(Endpoint.TOKEN, FAILED, false, false),
				// POST /auth: only a 2xx JSON answer is acceptance, only a 401 forgets
				row(Endpoint.AUTH, "200 JSON", null, "ACCEPTED", true, true),
				row(Endpoint.AUTH, "200 {}", () -> json(200, "{}"), "ACCEPTED", true, true),
				row(Endpoint.AUTH, "204 without body", () -> plain(204, null, null), "XrefApiException 204", true,
						true),
				row(Endpoint.AUTH, "302 to a login page", () -> redirect(302), "XrefApiException 302", true, true),
				row(Endpoint.AUTH, "307 to a login page", () -> redirect(307), "XrefApiException 307", true, true),
				row(Endpoint.AUTH, "200 HTML page", () -> html(200), "XrefApiException 200", true, true),
				row(Endpoint.AUTH, "200 text", () -> plain(200, "text/plain", "OK"), "XrefApiException 200", true,
						true),
				row(Endpoint.AUTH, "200 broken JSON", () -> json(200, "{\"xref"), "XrefApiException 200", true, true),
				row(Endpoint.AUTH, "400", () -> json(400, "{}"), "XrefApiException 400 refusal", true, true),
				revokedRow(Endpoint.AUTH, "FORGOTTEN"),
				row(Endpoint.AUTH, "403", () -> json(403, "{}"), "XrefApiException 403 refusal", true, true),
				row(Endpoint.AUTH, "429", () -> json(429, "{}"), "XrefApiException 429", true, true),
				row(Endpoint.AUTH, "500", () -> json(500, "{}"), "XrefApiException 500", true, true),
				row(Endpoint.AUTH, "503 HTML", () -> html(503), "XrefApiException 503", true, true),
				row(Endpoint.AUTH, "slow", XrefFaultTableTests::slow, "ResourceAccessException", true, true),
				refusedRow(Endpoint.AUTH, "ResourceAccessException", true, true),
				// POST /oauth/deauthorize: only the revoked token in JSON, or a 401,
				// forgets
				row(Endpoint.DEAUTHORIZE, "200 with the token", null, "disconnected", false, false),
				row(Endpoint.DEAUTHORIZE, "200 {}", () -> json(200, "{}"), "XrefApiException 200", true, true),
				row(Endpoint.DEAUTHORIZE, "200 with another access_token",
						() -> json(200, "{\"access_token\":\"another-token\"}"), "XrefApiException 200", true, true),
				row(Endpoint.DEAUTHORIZE, "204 without body", () -> plain(204, null, null), "XrefApiException 204",
						true, true),
				row(Endpoint.DEAUTHORIZE, "302 to a login page", () -> redirect(302), "XrefApiException 302", true,
						true),
				row(Endpoint.DEAUTHORIZE, "303 to a login page", () -> redirect(303), "XrefApiException 303", true,
						true),
				row(Endpoint.DEAUTHORIZE, "200 HTML page", () -> html(200), "XrefApiException 200", true, true),
				row(Endpoint.DEAUTHORIZE, "200 text", () -> plain(200, "text/plain", "done"), "XrefApiException 200",
						true, true),
				row(Endpoint.DEAUTHORIZE, "400", () -> json(400, "{}"), "XrefApiException 400 refusal", true, true),
				revokedRow(Endpoint.DEAUTHORIZE, "disconnected"),
				row(Endpoint.DEAUTHORIZE, "403", () -> json(403, "{\"error\":\"forbidden\"}"),
						"XrefApiException 403 refusal", true, true),
				row(Endpoint.DEAUTHORIZE, "404 HTML", () -> html(404), "XrefApiException 404 refusal", true, true),
				row(Endpoint.DEAUTHORIZE, "429", () -> json(429, "{}"), "XrefApiException 429", true, true),
				row(Endpoint.DEAUTHORIZE, "500", () -> json(500, "{}"), "XrefApiException 500", true, true),
				row(Endpoint.DEAUTHORIZE, "503 HTML", () -> html(503), "XrefApiException 503", true, true),
				row(Endpoint.DEAUTHORIZE, "slow", XrefFaultTableTests::slow, "ResourceAccessException", true, true),
				refusedRow(Endpoint.DEAUTHORIZE, "ResourceAccessException", true, true));
	}

	/**
	 * Carol connects her tenant's account through the real filter chain; returns the
	 * token.
	 */
	private static String connect(ConfigurableApplicationContext instance) throws Exception {
		assertThat(connectSeen(instance)).isEqualTo("/connected");
		return store(instance).findByTenant("globex").orElseThrow().accessToken();
	}

	private static String connectSeen(ConfigurableApplicationContext instance) throws Exception {
		XrefFlowSupport carol = new XrefFlowSupport(mvc(instance), xref, "carol");
		return carol.callback(xref.approve(carol.startConnect(), ACCOUNT));
	}

	private static String outcome(String token, Supplier<String> call) {
		try {
			return call.get();
		}
		catch (XrefApiException ex) {
			assertThat(ex.getMessage()).doesNotContain(token, "another-token", "Sign in", "forbidden", "OK", "done");
			return "XrefApiException " + ex.getStatusCode().value() + (ex.isRefusal() ? " refusal" : "");
		}
		catch (RuntimeException ex) {
			return ex.getClass().getSimpleName();
		}
	}

	private static XrefConnectionService connections(ConfigurableApplicationContext instance) {
		return instance.getBean(XrefConnectionService.class);
	}

	private static XrefAccountStore store(ConfigurableApplicationContext instance) {
		return instance.getBean(XrefAccountStore.class);
	}

	private static MockMvc mvc(ConfigurableApplicationContext instance) {
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) instance).apply(springSecurity()).build();
	}

	private static ConfigurableApplicationContext start(String apiUri) {
		return new SpringApplicationBuilder(FlowTestApplication.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--xref.oauth.client-id=" + XrefFlowSupport.CLIENT_ID,
					"--xref.oauth.client-secret=" + XrefFlowSupport.CLIENT_SECRET,
					"--xref.oauth.redirect-uri=" + XrefFlowSupport.REDIRECT_URI,
					"--xref.oauth.login-uri=" + xref.baseUrl(), "--xref.oauth.api-uri=" + apiUri,
					"--xref.oauth.failure-url=/connect-failed", "--xref.oauth.success-url=/connected",
					"--xref.oauth.read-timeout=2s", "--xref.oauth.connect-timeout=2s");
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Row row(Endpoint endpoint, String fault, @Nullable Supplier<MockResponse> answer, String seen,
			boolean stored, boolean validAtXref) {
		return new Row(endpoint, fault, answer, false, false, seen, stored, validAtXref);
	}

	static Row revokedRow(Endpoint endpoint, String seen) {
		return new Row(endpoint, "401, revoked at Xref", null, true, false, seen, false, false);
	}

	static Row refusedRow(Endpoint endpoint, String seen, boolean stored, boolean validAtXref) {
		return new Row(endpoint, "connection refused", null, false, true, seen, stored, validAtXref);
	}

	static MockResponse json(int code, String body) {
		return plain(code, "application/json", body);
	}

	static MockResponse html(int code) {
		return plain(code, "text/html; charset=utf-8", "<html><body><form>Sign in</form></body></html>");
	}

	static MockResponse plain(int code, @Nullable String contentType, @Nullable String body) {
		MockResponse.Builder response = new MockResponse.Builder().code(code);
		if (contentType != null) {
			response.addHeader("Content-Type", contentType);
		}
		if (body != null) {
			response.body(body);
		}
		return response.build();
	}

	static MockResponse redirect(int code) {
		return new MockResponse.Builder().code(code).addHeader("Location", xref.baseUrl() + "/login").build();
	}

	/** Answers correctly in shape, but after the read timeout (2 s). */
	static MockResponse slow() {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"late\",\"xref_account_id\":\"" + ACCOUNT + "\"}")
			.headersDelay(6, TimeUnit.SECONDS)
			.build();
	}

	enum Endpoint {

		TOKEN("/oauth/tokens"), AUTH("/auth"), DEAUTHORIZE("/oauth/deauthorize");

		final String path;

		Endpoint(String path) {
			this.path = path;
		}

	}

	/**
	 * One fault and what must follow.
	 *
	 * @param endpoint where the fault is injected
	 * @param fault its name
	 * @param answer the simulator's answer, or {@code null} for its own
	 * @param revokedAtXrefFirst whether the account is revoked at Xref before the call
	 * @param refused whether nothing listens at the API URI
	 * @param seen the landing URL, the verification, "disconnected", or the exception
	 * @param stored whether the tenant's connection is stored afterwards
	 * @param validAtXref whether the token is valid at Xref afterwards
	 */
	record Row(Endpoint endpoint, String fault, @Nullable Supplier<MockResponse> answer, boolean revokedAtXrefFirst,
			boolean refused, String seen, boolean stored, boolean validAtXref) {

		@Override
		public String toString() {
			return this.endpoint.path + " " + this.fault;
		}

	}

}
