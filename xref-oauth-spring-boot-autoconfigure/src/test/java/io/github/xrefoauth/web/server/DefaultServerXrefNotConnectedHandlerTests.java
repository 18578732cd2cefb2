package io.github.xrefoauth.web.server;

import java.time.Duration;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultServerXrefNotConnectedHandlerTests {

	private static final XrefNotConnectedException NOT_CONNECTED = new XrefNotConnectedException(
			"Tenant <script>acme</script> has no connected Xref account");

	private static final XrefRateLimitedException RATE_LIMITED = new XrefRateLimitedException("GET /secret", null,
			Duration.ofSeconds(7));

	private final DefaultServerXrefNotConnectedHandler handler = new DefaultServerXrefNotConnectedHandler();

	@Test
	void browserIsSentToConnectWithAPathAfterTheContextPath() {
		MockServerWebExchange exchange = exchange("text/html,application/xhtml+xml,*/*;q=0.8");

		handle(exchange, user("alice", "ROLE_USER"));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(302);
		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/app/oauth2/authorization/xref");
	}

	@Test
	void anonymousBrowserIsSentToConnectAndTheRulesAskItToLogInFirst() {
		MockServerWebExchange exchange = exchange("text/html");

		handle(exchange, new AnonymousAuthenticationToken("key", "anonymousUser",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));

		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/app/oauth2/authorization/xref");
	}

	@Test
	void apiClientGetsAProblemDetailThatNamesTheConnectPath() {
		MockServerWebExchange exchange = exchange("application/json");

		handle(exchange, user("alice", "ROLE_USER"));

		MockServerHttpResponse response = exchange.getResponse();
		assertThat(response.getStatusCode().value()).isEqualTo(409);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		String body = response.getBodyAsString().block();
		JsonNode problem = JsonMapper.shared().readTree(body);
		assertThat(problem.get("type").asString()).isEqualTo("about:blank");
		assertThat(problem.get("title").asString()).isEqualTo("Conflict");
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.DETAIL);
		assertThat(problem.get("connectUri").asString()).isEqualTo("/app/oauth2/authorization/xref");
		assertThat(body).doesNotContain("acme", "script");
	}

	@Test
	void anyTypeAndXmlHttpRequestsAreNotTakenForBrowsers() {
		MockServerWebExchange any = exchange("*/*");
		MockServerWebExchange xhr = MockServerWebExchange.from(MockServerHttpRequest.get("/app/reports")
			.contextPath("/app")
			.accept(MediaType.TEXT_HTML)
			.header("X-Requested-With", "XMLHttpRequest"));

		handle(any, user("alice", "ROLE_USER"));
		handle(xhr, user("alice", "ROLE_USER"));

		assertThat(any.getResponse().getStatusCode().value()).isEqualTo(409);
		assertThat(xhr.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void endUserWhomTheConnectRulesRefuseGetsNoConnectPathAndABrowserGetsAConflict() {
		this.handler.setConnectAuthorizationManager(AuthorityReactiveAuthorizationManager.hasRole("USER"));
		MockServerWebExchange api = exchange("application/json");
		MockServerWebExchange browser = exchange("text/html");

		handle(api, user("dave", "ROLE_VIEWER"));
		StepVerifier
			.create(this.handler.onNotConnected(browser, NOT_CONNECTED)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(user("dave", "ROLE_VIEWER"))))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResponseStatusException.class,
					(status) -> assertThat(status.getStatusCode().value()).isEqualTo(409)))
			.verify();

		JsonNode problem = JsonMapper.shared().readTree(api.getResponse().getBodyAsString().block());
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.has("connectUri")).isFalse();
		assertThat(browser.getResponse().getHeaders().getLocation()).isNull();
	}

	@Test
	void endUserWhomTheConnectRulesAllowIsSentToConnect() {
		this.handler.setConnectAuthorizationManager(AuthorityReactiveAuthorizationManager.hasRole("USER"));
		MockServerWebExchange browser = exchange("text/html");

		handle(browser, user("alice", "ROLE_USER"));

		assertThat(browser.getResponse().getHeaders().getLocation()).hasToString("/app/oauth2/authorization/xref");
	}

	@Test
	void withoutSecurityContextTheEndUserIsAnonymous() {
		MockServerWebExchange api = exchange("application/json");

		StepVerifier.create(this.handler.onNotConnected(api, NOT_CONNECTED)).verifyComplete();

		JsonNode problem = JsonMapper.shared().readTree(api.getResponse().getBodyAsString().block());
		assertThat(problem.has("connectUri")).isFalse();
	}

	@Test
	void rateLimitedExchangeAnswersAnApiClient503WithRetryAfterAndAProblemDetail() {
		MockServerWebExchange exchange = exchange("application/json");

		StepVerifier.create(this.handler.onRateLimited(exchange, RATE_LIMITED)).verifyComplete();

		MockServerHttpResponse response = exchange.getResponse();
		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getHeaders().get("Retry-After")).containsExactly("7");
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = JsonMapper.shared().readTree(response.getBodyAsString().block());
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.RATE_LIMITED_DETAIL);
	}

	@Test
	void rateLimitedExchangeOfABrowserIsLeftToTheErrorPageWith503AndRetryAfter() {
		MockServerWebExchange exchange = exchange("text/html");

		StepVerifier.create(this.handler.onRateLimited(exchange, RATE_LIMITED))
			.verifyErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResponseStatusException.class,
					(status) -> assertThat(status.getStatusCode().value()).isEqualTo(503)));
		assertThat(exchange.getResponse().getHeaders().get("Retry-After")).containsExactly("7");
		assertThat(exchange.getResponse().getHeaders().getLocation()).isNull();
	}

	@Test
	void anApplicationsOwnNotConnectedHandlerAnswersRateLimitsAsTheDefaultDoes() {
		ServerXrefNotConnectedHandler own = (exchange, exception) -> Mono.empty();
		MockServerWebExchange exchange = exchange("application/json");

		StepVerifier.create(own.onRateLimited(exchange, RATE_LIMITED)).verifyComplete();

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(503);
		assertThat(exchange.getResponse().getHeaders().get("Retry-After")).containsExactly("7");
	}

	private void handle(MockServerWebExchange exchange, Authentication user) {
		StepVerifier
			.create(this.handler.onNotConnected(exchange, NOT_CONNECTED)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(user)))
			.verifyComplete();
	}

	private static MockServerWebExchange exchange(String accept) {
		return MockServerWebExchange
			.from(MockServerHttpRequest.get("/app/reports").contextPath("/app").header("Accept", accept));
	}

	private static Authentication user(String name, String role) {
		return UsernamePasswordAuthenticationToken.authenticated(name, null, AuthorityUtils.createAuthorityList(role));
	}

}
