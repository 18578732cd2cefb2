package io.github.xrefoauth.flow;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.xrefoauth.test.XrefSimulator;

import jakarta.servlet.http.Cookie;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One end user's browser: a session and a login, driven through the real filter chain.
 */
final class XrefFlowSupport {

	static final String CLIENT_ID = "client-1";

	static final String CLIENT_SECRET = "client-secret-that-must-never-be-logged";

	static final String REDIRECT_URI = "http://localhost/integrations/xref";

	private final MockMvc mvc;

	private final XrefSimulator xref;

	private final String username;

	private final MockHttpSession session = new MockHttpSession();

	private final Map<String, Cookie> cookies = new LinkedHashMap<>();

	XrefFlowSupport(MockMvc mvc, XrefSimulator xref, String username) {
		this.mvc = mvc;
		this.xref = xref;
		this.username = username;
	}

	/** Clicks "Connect" and returns the URL the platform redirected to. */
	String startConnect() throws Exception {
		return redirect(get("/oauth2/authorization/xref"));
	}

	/**
	 * Follows Xref's redirect back to the platform and returns where the end user lands.
	 */
	String callback(String callbackUrl) throws Exception {
		return redirect(get(URI.create(callbackUrl)));
	}

	/** Connects the account, allowing it on Xref's consent page. */
	String connect(String accountId) throws Exception {
		return callback(this.xref.approve(startConnect(), accountId));
	}

	/** Returns the name of the end user signed in in this browser. */
	String username() {
		return this.username;
	}

	/** Returns the HTTP session of this browser. */
	MockHttpSession session() {
		return this.session;
	}

	/** Returns the cookies that the platform set in this browser. */
	Map<String, Cookie> cookies() {
		return this.cookies;
	}

	private String redirect(MockHttpServletRequestBuilder request) throws Exception {
		if (!this.cookies.isEmpty()) {
			request.cookie(this.cookies.values().toArray(Cookie[]::new));
		}
		MvcResult result = this.mvc.perform(request.session(this.session).with(user(this.username)))
			.andExpect(status().isFound())
			.andReturn();
		for (Cookie cookie : result.getResponse().getCookies()) {
			this.cookies.put(cookie.getName(), cookie);
		}
		return result.getResponse().getRedirectedUrl();
	}

	/** One simulator, registered with the test platform, for all flow tests. */
	static final XrefSimulator XREF = XrefSimulator.start().registerClient(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI);

	/** Points the starter at the test platform's registration and the simulator. */
	static void register(DynamicPropertyRegistry registry) {
		XrefSimulator xref = XREF;
		registry.add("xref.oauth.client-id", () -> CLIENT_ID);
		registry.add("xref.oauth.client-secret", () -> CLIENT_SECRET);
		registry.add("xref.oauth.redirect-uri", () -> REDIRECT_URI);
		registry.add("xref.oauth.login-uri", xref::baseUrl);
		registry.add("xref.oauth.api-uri", xref::baseUrl);
	}

}
