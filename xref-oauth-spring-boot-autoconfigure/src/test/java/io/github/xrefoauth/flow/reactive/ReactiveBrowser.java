package io.github.xrefoauth.flow.reactive;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.xrefoauth.test.XrefSimulator;

import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One end user's browser against the running WebFlux platform: HTTP Basic login and the
 * cookies the platform sets (the session, the JDBC store's binding cookie).
 */
public final class ReactiveBrowser {

	public static final String CLIENT_ID = "reactive-client";

	public static final String CLIENT_SECRET = "reactive-secret-that-must-never-be-logged";

	public static final String REDIRECT_URI = "http://localhost/integrations/xref";

	/** One simulator, registered with the reactive test platform, for its tests. */
	public static final XrefSimulator XREF = XrefSimulator.start()
		.registerClient(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI);

	private final WebTestClient client;

	private final String baseUrl;

	private final String username;

	private final Map<String, String> cookies = new LinkedHashMap<>();

	public ReactiveBrowser(int port, String username) {
		this.baseUrl = "http://localhost:" + port;
		this.client = WebTestClient.bindToServer().baseUrl(this.baseUrl).build();
		this.username = username;
	}

	/** Clicks "Connect" and returns the URL the platform redirected to. */
	public String startConnect() {
		return redirect(URI.create(this.baseUrl + "/oauth2/authorization/xref"));
	}

	/**
	 * Follows Xref's redirect back to the platform and returns where the end user lands.
	 */
	public String callback(String callbackUrl) {
		URI callback = URI.create(callbackUrl);
		String query = (callback.getRawQuery() != null) ? "?" + callback.getRawQuery() : "";
		return redirect(URI.create(this.baseUrl + callback.getRawPath() + query));
	}

	/** Connects the account, allowing it on Xref's consent page. */
	public String connect(String accountId) {
		return callback(XREF.approve(startConnect(), accountId));
	}

	/** Sends a request and returns the response status and body. */
	public EntityExchangeResult<String> send(String method, String path) {
		return this.client.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.headers((headers) -> headers.setBasicAuth(this.username, ReactiveFlowTestApplication.PASSWORD))
			.cookies((sent) -> this.cookies.forEach(sent::add))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	public Map<String, String> cookies() {
		return this.cookies;
	}

	private String redirect(URI uri) {
		EntityExchangeResult<byte[]> result = this.client.get()
			.uri(uri)
			.headers((headers) -> headers.setBasicAuth(this.username, ReactiveFlowTestApplication.PASSWORD))
			.cookies((sent) -> this.cookies.forEach(sent::add))
			.exchange()
			.expectStatus()
			.isFound()
			.expectBody()
			.returnResult();
		for (ResponseCookie cookie : result.getResponseCookies().toSingleValueMap().values()) {
			this.cookies.put(cookie.getName(), cookie.getValue());
		}
		return result.getResponseHeaders().getLocation().toString();
	}

	public static void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.client-id", () -> CLIENT_ID);
		registry.add("xref.oauth.client-secret", () -> CLIENT_SECRET);
		registry.add("xref.oauth.redirect-uri", () -> REDIRECT_URI);
		registry.add("xref.oauth.login-uri", XREF::baseUrl);
		registry.add("xref.oauth.api-uri", XREF::baseUrl);
	}

}
