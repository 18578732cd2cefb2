package io.github.xrefoauth.internal;

import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.token.XrefTokenException;
import io.github.xrefoauth.token.XrefTokenRevoker;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * {@link XrefTokenRevoker} that posts to Xref's deauthorize URI with
 * {@code Authorization: Token <token>}.
 * <p>
 * Only a 2xx JSON object whose {@code access_token} is the token counts as revoked, or a
 * {@code 401} (Xref no longer knows the token): the rule of
 * {@link XrefApiAnswer#toDeauthorize}, which disconnects follow too. Redirects are
 * answers, not followed, provided the {@link RestClient}'s request factory does not
 * follow them.
 *
 * @since 0.1.0
 */
public final class RestClientXrefTokenRevoker implements XrefTokenRevoker {

	private final String deauthorizeUri;

	private final XrefTokenEndpoint endpoint;

	/**
	 * Creates a revoker.
	 * @param deauthorizeUri the absolute URI of Xref's deauthorize endpoint, e.g.
	 * {@code https://api-open.xref.com/oauth/deauthorize}
	 * @param restClient supplies the client that sends the requests, asked on the first
	 * revocation
	 */
	public RestClientXrefTokenRevoker(String deauthorizeUri, Supplier<RestClient> restClient) {
		Assert.hasText(deauthorizeUri, "deauthorizeUri cannot be empty");
		this.deauthorizeUri = deauthorizeUri;
		this.endpoint = new XrefTokenEndpoint("deauthorize", restClient);
	}

	@Override
	public void revoke(String accessToken) {
		Assert.hasText(accessToken, "accessToken cannot be empty");
		XrefApiAnswer answer = XrefApiAnswer.toDeauthorize(accessToken);
		this.endpoint.exchange(this.endpoint.post(this.deauthorizeUri)
			.header(HttpHeaders.AUTHORIZATION, "Token " + accessToken)
			.accept(MediaType.APPLICATION_JSON), (request, response) -> {
				try {
					if (answer.judgeHead(response.getStatusCode(), response.getHeaders())) {
						answer.judgeBody(response.getStatusCode(), response.getHeaders(),
								response.getBody().readNBytes(XrefApiAnswer.MAX_BODY_BYTES));
					}
				}
				catch (XrefApiException ex) {
					throw new XrefTokenException("Xref deauthorize endpoint answered HTTP " + ex.getStatusCode().value()
							+ " without confirming the revocation", ex);
				}
				return null;
			});
	}

}
