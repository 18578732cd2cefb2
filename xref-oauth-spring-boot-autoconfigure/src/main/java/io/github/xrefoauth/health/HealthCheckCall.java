package io.github.xrefoauth.health;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.internal.XrefApiAnswer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Asks Xref whether one connection's token is still valid ({@code POST /auth}), with
 * exactly that token, and judges the answer as the connection services do.
 */
final class HealthCheckCall {

	private static final XrefApiAnswer AUTH = XrefApiAnswer.toAuth();

	private final RestClient restClient;

	/**
	 * Creates a call.
	 * @param restClient a client whose base URL is the Xref API, that adds no token and
	 * follows no redirect
	 */
	HealthCheckCall(RestClient restClient) {
		Assert.notNull(restClient, "restClient cannot be null");
		this.restClient = restClient;
	}

	/**
	 * Verifies the connection's token.
	 * @param connection the connection
	 * @return {@code true} if Xref accepted the token, {@code false} if it answered
	 * {@code 401}
	 * @throws io.github.xrefoauth.account.XrefRateLimitedException on a {@code 429}
	 * @throws RuntimeException on any other answer or failure
	 */
	boolean accepted(XrefConnection connection) {
		Boolean accepted = this.restClient.post()
			.uri(AUTH.path())
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Token " + connection.accessToken())
			.exchange((request, response) -> {
				HttpStatusCode status = response.getStatusCode();
				if (!AUTH.judgeHead(status, response.getHeaders())) {
					return false;
				}
				AUTH.judgeBody(status, response.getHeaders(),
						response.getBody().readNBytes(XrefApiAnswer.MAX_BODY_BYTES));
				return true;
			});
		return !Boolean.FALSE.equals(accepted);
	}

}
