package io.github.xrefoauth.test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers HTTP requests the way Xref does, and checks them as strictly as the protocol
 * allows.
 */
final class XrefSimulatorDispatcher extends Dispatcher {

	static final String AUTHORIZE_PREFIX = "/oauth/open-api/";

	private static final Set<String> TOKEN_FIELDS = Set.of("client_id", "client_secret", "code");

	private final JsonMapper json = JsonMapper.shared();

	private final SimulatedXref xref;

	private final Supplier<String> defaultAccountId;

	private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

	private final Deque<MockResponse> tokenResponseOverrides = new ArrayDeque<>();

	private final Map<String, Deque<MockResponse>> responseOverrides = new HashMap<>();

	XrefSimulatorDispatcher(SimulatedXref xref, Supplier<String> defaultAccountId) {
		this.xref = xref;
		this.defaultAccountId = defaultAccountId;
	}

	List<RecordedRequest> received() {
		return this.received;
	}

	synchronized void overrideNextTokenResponse(MockResponse response) {
		this.tokenResponseOverrides.add(response);
	}

	synchronized void overrideNextResponse(String path, MockResponse response) {
		this.responseOverrides.computeIfAbsent(path, (key) -> new ArrayDeque<>()).add(response);
	}

	private synchronized @Nullable MockResponse nextOverride(String path) {
		Deque<MockResponse> overrides = this.responseOverrides.get(path);
		return (overrides != null) ? overrides.poll() : null;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		this.received.add(request);
		String path = request.getUrl().encodedPath();
		String method = request.getMethod();
		MockResponse override = nextOverride(path);
		if (override != null) {
			return override;
		}
		if (path.startsWith(AUTHORIZE_PREFIX) && "GET".equals(method)) {
			return authorizePage(request.getUrl(), path.substring(AUTHORIZE_PREFIX.length()));
		}
		if (path.startsWith(AUTHORIZE_PREFIX) && "POST".equals(method)) {
			return consent(request, path.substring(AUTHORIZE_PREFIX.length()));
		}
		if (!"POST".equals(method) && !"/simulator".equals(path)) {
			return error(405, "method_not_allowed");
		}
		return switch (path) {
			case "/oauth/tokens" -> token(request);
			case "/auth" -> auth(request);
			case "/oauth/deauthorize" -> deauthorize(request);
			case "/simulator" -> "GET".equals(method) ? html(200, SimulatorPages.admin(this.xref.connectedAccounts()))
					: error(405, "method_not_allowed");
			case "/simulator/revoke" -> revoke(request);
			default -> error(404, "not_found");
		};
	}

	private MockResponse authorizePage(HttpUrl url, String clientId) {
		if (this.xref.client(clientId).isEmpty()) {
			return html(404,
					SimulatorPages.message("Unknown client", "No platform is registered with this client id."));
		}
		for (String name : url.queryParameterNames()) {
			if (!"state".equals(name)) {
				return html(400, SimulatorPages.message("Unexpected parameter",
						"Xref's authorize URL takes only 'state'; this request also had '" + name + "'."));
			}
		}
		return html(200, SimulatorPages.consent(clientId, url.queryParameter("state"), this.defaultAccountId.get()));
	}

	private MockResponse consent(RecordedRequest request, String clientId) {
		SimulatedXref.Client client = this.xref.client(clientId).orElse(null);
		if (client == null) {
			return html(404,
					SimulatorPages.message("Unknown client", "No platform is registered with this client id."));
		}
		Map<String, String> form = form(request);
		HttpUrl.Builder target = HttpUrl.get(client.redirectUrl()).newBuilder();
		String state = form.get("state");
		if (state != null && !state.isEmpty()) {
			target.addQueryParameter("state", state);
		}
		String account = form.getOrDefault("account", "").trim();
		if ("allow".equals(form.get("decision")) && !account.isEmpty()) {
			target.addQueryParameter("code", this.xref.issueCode(clientId, account));
		}
		else {
			target.addQueryParameter("error", "access_denied");
		}
		return new MockResponse.Builder().code(302).addHeader("Location", target.build().toString()).build();
	}

	private MockResponse token(RecordedRequest request) {
		synchronized (this) {
			MockResponse override = this.tokenResponseOverrides.poll();
			if (override != null) {
				return override;
			}
		}
		String contentType = request.getHeaders().get("Content-Type");
		if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
			return error(415, "unsupported_media_type");
		}
		JsonNode body = readJson(request);
		if (body == null || !body.isObject() || body.size() != TOKEN_FIELDS.size()
				|| !TOKEN_FIELDS.stream().allMatch((field) -> body.path(field).isString())) {
			return error(400, "invalid_request");
		}
		String clientId = body.get("client_id").asString();
		SimulatedXref.Client client = this.xref.client(clientId).orElse(null);
		if (client == null || !client.secret().equals(body.get("client_secret").asString())) {
			return error(401, "invalid_client");
		}
		SimulatedXref.Token token = this.xref.redeem(clientId, body.get("code").asString());
		if (token == null) {
			return error(400, "invalid_grant");
		}
		return json(200, Map.of("access_token", token.accessToken(), "xref_account_id", token.accountId()));
	}

	private MockResponse auth(RecordedRequest request) {
		String token = accessToken(request);
		String account = (token != null) ? this.xref.accountOf(token).orElse(null) : null;
		return (account != null) ? json(200, Map.of("xref_account_id", account)) : error(401, "unauthorized");
	}

	private MockResponse deauthorize(RecordedRequest request) {
		String token = accessToken(request);
		if (token == null || !this.xref.deauthorize(token)) {
			return error(401, "unauthorized");
		}
		return json(200, Map.of("access_token", token));
	}

	private MockResponse revoke(RecordedRequest request) {
		this.xref.revokeAccount(form(request).getOrDefault("account", ""));
		return new MockResponse.Builder().code(303).addHeader("Location", "/simulator").build();
	}

	private static @Nullable String accessToken(RecordedRequest request) {
		String authorization = request.getHeaders().get("Authorization");
		if (authorization == null || !authorization.startsWith("Token ")) {
			return null;
		}
		return authorization.substring("Token ".length());
	}

	private @Nullable JsonNode readJson(RecordedRequest request) {
		try {
			return this.json.readTree(body(request));
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String body(RecordedRequest request) {
		return (request.getBody() != null) ? request.getBody().utf8() : "";
	}

	private static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body(request).split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	private MockResponse json(int code, Map<String, String> body) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body(this.json.writeValueAsString(body))
			.build();
	}

	private MockResponse error(int code, String error) {
		return json(code, Map.of("error", error));
	}

	private static MockResponse html(int code, String page) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "text/html; charset=utf-8")
			.body(page)
			.build();
	}

}
