package io.github.xrefoauth.connect;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The rules both web stacks answer a tenant without connection by.
 */
class XrefNotConnectedAnswerTests {

	@Test
	void browserOfAnEndUserWhoMayConnectIsRedirectedToConnect() {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(true, true, true, "/app");

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.REDIRECT);
		assertThat(answer.problemDetail()).isNull();
		assertThat(XrefNotConnectedAnswer.CONNECT_PATH).isEqualTo("/oauth2/authorization/xref");
	}

	@Test
	void anonymousBrowserIsRedirectedWhateverTheRulesSay() {
		assertThat(XrefNotConnectedAnswer.of(true, false, false, "").kind())
			.isEqualTo(XrefNotConnectedAnswer.Kind.REDIRECT);
	}

	@Test
	void browserOfAnEndUserWhoMayNotConnectGetsAConflictErrorPage() {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(true, true, false, "");

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.ERROR_PAGE);
		assertThat(answer.status().value()).isEqualTo(409);
		assertThatIllegalStateException().isThrownBy(answer::problemDetailJson);
	}

	@Test
	void apiClientGetsAConflictProblemDetailWithARelativeConnectLink() {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(false, true, true, "/app");

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.PROBLEM_DETAIL);
		JsonNode problem = JsonMapper.shared().readTree(answer.problemDetailJson());
		assertThat(problem.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "connectUri",
				"reason");
		assertThat(problem.get("type").asString()).isEqualTo("about:blank");
		assertThat(problem.get("title").asString()).isEqualTo("Conflict");
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.DETAIL);
		assertThat(problem.get("connectUri").asString()).isEqualTo("/app/oauth2/authorization/xref");
		assertThat(problem.get("reason").asString()).isEqualTo("not_connected");
	}

	@Test
	void apiClientOfATenantWhoseTokenXrefRejectedIsToldToReconnectWithWhenAndTheConnectLink() {
		XrefConnectionStatus status = XrefConnectionStatus.reconnectNeeded("acct-acme", Instant.EPOCH, "alice",
				Instant.parse("2026-01-02T03:04:05Z"), XrefConnectionStatus.RejectedBy.VERIFY);

		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(false, true, true, "/app",
				new XrefReconnectNeededException("Tenant acme needs to reconnect", status));

		assertThat(answer.status().value()).isEqualTo(409);
		JsonNode problem = JsonMapper.shared().readTree(answer.problemDetailJson());
		assertThat(problem.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "connectUri",
				"reason", "rejectedAt");
		assertThat(problem.get("reason").asString()).isEqualTo("reconnect_needed");
		assertThat(problem.get("title").asString()).isEqualTo("Xref reconnect needed");
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.RECONNECT_DETAIL);
		assertThat(problem.get("rejectedAt").asString()).isEqualTo("2026-01-02T03:04:05Z");
		assertThat(problem.get("connectUri").asString()).isEqualTo("/app/oauth2/authorization/xref");
		assertThat(new String(answer.problemDetailJson(), StandardCharsets.UTF_8)).doesNotContain("acme");
	}

	@Test
	void browserOfATenantWhoseTokenXrefRejectedIsStillSentToConnect() {
		XrefConnectionStatus status = XrefConnectionStatus.reconnectNeeded("acct-acme", Instant.EPOCH, "alice",
				Instant.EPOCH, XrefConnectionStatus.RejectedBy.API_CALL);

		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(true, true, true, "",
				new XrefReconnectNeededException("Tenant acme needs to reconnect", status));

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.REDIRECT);
	}

	@Test
	void apiClientWhoMayNotConnectOrIsAnonymousGetsNoConnectLink() {
		for (XrefNotConnectedAnswer answer : List.of(XrefNotConnectedAnswer.of(false, true, false, ""),
				XrefNotConnectedAnswer.of(false, false, true, ""))) {
			JsonNode problem = JsonMapper.shared().readTree(answer.problemDetailJson());
			assertThat(problem.get("status").asInt()).isEqualTo(409);
			assertThat(problem.has("connectUri")).isFalse();
		}
	}

	@Test
	void browsersAcceptHtmlAndSendNoXmlHttpRequestHeader() {
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("text/html,application/xhtml+xml,*/*;q=0.8"), null))
			.isTrue();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("application/json", "text/*"), null)).isTrue();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("text/html"), "XMLHttpRequest")).isFalse();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("application/json, */*;q=0.8"), null)).isFalse();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("*/*"), null)).isFalse();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of(), null)).isFalse();
		assertThat(XrefNotConnectedAnswer.isBrowser(null, null)).isFalse();
		assertThat(XrefNotConnectedAnswer.isBrowser(List.of("text/html, nonsense"), null)).isFalse();
	}

	@Test
	void notConnectedIsFoundAnywhereInTheCauseChain() {
		XrefNotConnectedException notConnected = new XrefNotConnectedException("tenant acme");
		ClientAuthorizationRequiredException xref = new ClientAuthorizationRequiredException("xref");

		assertThat(XrefNotConnectedAnswer.findNotConnected(chain(new IllegalStateException(notConnected))))
			.isSameAs(notConnected);
		assertThat(XrefNotConnectedAnswer.findNotConnected(chain(new IllegalStateException(xref)))).isSameAs(xref);
		assertThat(XrefNotConnectedAnswer.findNotConnected(chain(new ClientAuthorizationRequiredException("github"))))
			.isNull();
		assertThat(XrefNotConnectedAnswer.findNotConnected(chain(new IllegalStateException("other")))).isNull();
	}

	@Test
	void apiClientOfARateLimitedCallGetsServiceUnavailableWithRetryAfterAndAProblemDetail() {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.rateLimited(false,
				new XrefRateLimitedException("GET /secret?q=zq", null, Duration.ofMillis(6500)));

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.PROBLEM_DETAIL);
		assertThat(answer.status().value()).isEqualTo(503);
		assertThat(answer.retryAfter()).isEqualTo("7");
		JsonNode problem = JsonMapper.shared().readTree(answer.problemDetailJson());
		assertThat(problem.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
		assertThat(problem.get("title").asString()).isEqualTo("Service Unavailable");
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("detail").asString()).isEqualTo(XrefNotConnectedAnswer.RATE_LIMITED_DETAIL);
	}

	@Test
	void browserOfARateLimitedCallGetsAServiceUnavailableErrorPageAndIsNotRedirected() {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.rateLimited(true,
				new XrefRateLimitedException("POST /auth", null, Duration.ZERO));

		assertThat(answer.kind()).isEqualTo(XrefNotConnectedAnswer.Kind.ERROR_PAGE);
		assertThat(answer.status().value()).isEqualTo(503);
		assertThat(answer.detail()).isEqualTo(XrefNotConnectedAnswer.RATE_LIMITED_DETAIL);
		assertThat(answer.retryAfter()).isEqualTo("0");
	}

	@Test
	void notConnectedAnswersSendNoRetryAfter() {
		assertThat(XrefNotConnectedAnswer.of(false, true, true, "").retryAfter()).isNull();
		assertThat(XrefNotConnectedAnswer.of(true, true, false, "").retryAfter()).isNull();
	}

	@Test
	void rateLimitIsFoundAnywhereInTheCauseChain() {
		XrefRateLimitedException rateLimited = new XrefRateLimitedException("POST /auth", null, Duration.ofSeconds(7));

		assertThat(XrefNotConnectedAnswer.findRateLimited(chain(new IllegalStateException(rateLimited))))
			.isSameAs(rateLimited);
		assertThat(XrefNotConnectedAnswer.findRateLimited(chain(new IllegalStateException("other")))).isNull();
	}

	private static Throwable[] chain(Throwable ex) {
		Throwable[] chain = { ex };
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			chain = Arrays.copyOf(chain, chain.length + 1);
			chain[chain.length - 1] = cause;
		}
		return chain;
	}

}
