package io.github.xrefoauth.token;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * {@link XrefTokenRevoker} that posts to Xref's deauthorize URI with
 * {@code Authorization: Token <token>}.
 * <p>
 * Only a 2xx JSON object whose {@code access_token} is the token counts as revoked, or a
 * {@code 401} (Xref no longer knows the token). Redirects are answers, not followed,
 * provided the {@link RestClient}'s request factory does not follow them.
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
		this.endpoint.exchange(this.endpoint.post(this.deauthorizeUri)
			.header(HttpHeaders.AUTHORIZATION, "Token " + accessToken)
			.accept(MediaType.APPLICATION_JSON), (request, response) -> {
				if (response.getStatusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
					return null;
				}
				this.endpoint.require2xx(response);
				if (!revoked(response.getBody(), accessToken)) {
					throw new XrefTokenException("Xref deauthorize endpoint answered HTTP "
							+ response.getStatusCode().value() + " without the revoked access_token");
				}
				return null;
			});
	}

	private boolean revoked(InputStream body, String accessToken) throws IOException {
		try {
			JsonNode json = this.endpoint.readJson(body);
			JsonNode revoked = (json != null) ? json.get("access_token") : null;
			return revoked != null && revoked.isString() && revoked.asString().equals(accessToken);
		}
		catch (JacksonException ex) {
			return false;
		}
	}

}
