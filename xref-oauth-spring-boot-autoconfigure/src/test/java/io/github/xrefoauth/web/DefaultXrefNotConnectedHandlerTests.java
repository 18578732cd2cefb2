package io.github.xrefoauth.web;

import java.time.Duration;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultXrefNotConnectedHandlerTests {

	private static final XrefNotConnectedException NOT_CONNECTED = new XrefNotConnectedException(
			"Tenant <script>acme</script> has no connected Xref account");

	private static final XrefRateLimitedException RATE_LIMITED = new XrefRateLimitedException("GET /secret", null,
			Duration.ofSeconds(7));

	private boolean mayConnect = true;

	private final WebInvocationPrivilegeEvaluator rules = new WebInvocationPrivilegeEvaluator() {

		@Override
		public boolean isAllowed(String uri, Authentication authentication) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean isAllowed(String contextPath, String uri, String method, Authentication authentication) {
			assertThat(contextPath).isEqualTo("/app");
			assertThat(uri).isEqualTo("/oauth2/authorization/xref");
			assertThat(method).isEqualTo("GET");
			return DefaultXrefNotConnectedHandlerTests.this.mayConnect;
		}

	};

	private final DefaultXrefNotConnectedHandler handler = new DefaultXrefNotConnectedHandler(() -> this.rules);

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void browserOfAnEndUserWhoMayConnectIsSentToConnect() throws Exception {
		signIn("alice");

		MockHttpServletResponse response = handle(request("text/html,application/xhtml+xml,*/*;q=0.8"));

		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/app/oauth2/authorization/xref");
	}

	@Test
	void anonymousBrowserIsSentToConnectAndTheRulesSendItToLogInFirst() throws Exception {
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		this.mayConnect = false;

		MockHttpServletResponse response = handle(request("text/html"));

		assertThat(response.getRedirectedUrl()).isEqualTo("/app/oauth2/authorization/xref");
	}

	@Test
	void browserOfAnEndUserWhomTheRulesDoNotLetConnectGetsAConflictErrorPage() throws Exception {
		signIn("bob");
		this.mayConnect = false;

		MockHttpServletResponse response = handle(request("text/html"));

		assertThat(response.getStatus()).isEqualTo(409);
		assertThat(response.getRedirectedUrl()).isNull();
		assertThat(response.getErrorMessage()).isEqualTo(XrefNotConnectedAnswer.DETAIL);
	}

	@Test
	void apiClientGetsAProblemDetailThatNamesTheConnectPath() throws Exception {
		signIn("alice");

		MockHttpServletResponse response = handle(request("application/json"));

		assertThat(response.getStatus()).isEqualTo(409);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		JsonNode problem = JsonMapper.shared().readTree(response.getContentAsByteArray());
		assertThat(problem.get("type").asString()).isEqualTo("about:blank");
		assertThat(problem.get("title").asString()).isEqualTo("Conflict");
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.DETAIL);
		assertThat(problem.get("connectUri").asString()).isEqualTo("/app/oauth2/authorization/xref");
		assertThat(response.getContentAsString()).doesNotContain("acme", "script");
	}

	@Test
	void apiClientOfAnEndUserWhoMayNotConnectGetsNoConnectPath() throws Exception {
		signIn("bob");
		this.mayConnect = false;

		JsonNode problem = JsonMapper.shared().readTree(handle(request("application/json")).getContentAsByteArray());

		assertThat(problem.has("connectUri")).isFalse();
	}

	@Test
	void anyTypeAndXmlHttpRequestsAreNotTakenForBrowsers() throws Exception {
		signIn("alice");
		MockHttpServletRequest xhr = request("text/html");
		xhr.addHeader("X-Requested-With", "XMLHttpRequest");

		assertThat(handle(request("*/*")).getStatus()).isEqualTo(409);
		assertThat(handle(request(null)).getStatus()).isEqualTo(409);
		assertThat(handle(xhr).getContentType()).isEqualTo("application/problem+json");
	}

	@Test
	void withoutRulesEveryEndUserMayConnect() throws Exception {
		signIn("alice");
		DefaultXrefNotConnectedHandler withoutRules = new DefaultXrefNotConnectedHandler(() -> null);
		MockHttpServletResponse response = new MockHttpServletResponse();

		withoutRules.onNotConnected(request("text/html"), response, NOT_CONNECTED);

		assertThat(response.getRedirectedUrl()).isEqualTo("/app/oauth2/authorization/xref");
	}

	@Test
	void rateLimitedCallAnswersAnApiClient503WithRetryAfterAndAProblemDetail() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.handler.onRateLimited(request("application/json"), response, RATE_LIMITED);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeaders("Retry-After")).containsExactly("7");
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		JsonNode problem = JsonMapper.shared().readTree(response.getContentAsString());
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.RATE_LIMITED_DETAIL);
		assertThat(response.getContentAsString()).doesNotContain("secret");
	}

	@Test
	void rateLimitedCallAnswersABrowserWithA503ErrorPageAndNoRedirect() throws Exception {
		signIn("alice");
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.handler.onRateLimited(request("text/html"), response, RATE_LIMITED);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getErrorMessage()).isEqualTo(XrefNotConnectedAnswer.RATE_LIMITED_DETAIL);
		assertThat(response.getHeaders("Retry-After")).containsExactly("7");
		assertThat(response.getRedirectedUrl()).isNull();
	}

	@Test
	void anApplicationsOwnNotConnectedHandlerAnswersRateLimitsAsTheDefaultDoes() throws Exception {
		XrefNotConnectedHandler own = (request, response, exception) -> response.sendError(418);
		MockHttpServletResponse response = new MockHttpServletResponse();

		own.onRateLimited(request("application/json"), response, RATE_LIMITED);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeaders("Retry-After")).containsExactly("7");
	}

	private MockHttpServletResponse handle(MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.handler.onNotConnected(request, response, NOT_CONNECTED);
		return response;
	}

	private static MockHttpServletRequest request(String accept) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app/reports");
		request.setContextPath("/app");
		if (accept != null) {
			request.addHeader("Accept", accept);
		}
		return request;
	}

	private static void signIn(String username) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

}
