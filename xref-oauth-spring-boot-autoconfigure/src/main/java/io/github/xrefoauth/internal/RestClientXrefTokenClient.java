package io.github.xrefoauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenException;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.github.xrefoauth.token.XrefUnusableTokenException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * {@link XrefTokenClient} that posts {@code client_id}, {@code client_secret} and
 * {@code code} as JSON to the token URI of the Xref {@link ClientRegistration}.
 * <p>
 * Any answer other than a 2xx JSON object with a non-empty {@code access_token} and
 * {@code xref_account_id} is a failure.
 *
 * @since 0.1.0
 */
public final class RestClientXrefTokenClient implements XrefTokenClient {

	private final ClientRegistration registration;

	private final XrefTokenEndpoint endpoint;

	/**
	 * Creates a client for the given registration.
	 * @param registration the Xref registration (client id, secret and token URI)
	 * @param restClient supplies the client that sends the requests, asked on the first
	 * exchange
	 */
	public RestClientXrefTokenClient(ClientRegistration registration, Supplier<RestClient> restClient) {
		Assert.notNull(registration, "registration cannot be null");
		this.registration = registration;
		this.endpoint = new XrefTokenEndpoint("token", restClient);
	}

	@Override
	public XrefTokenResponse exchange(String code) {
		Assert.hasText(code, "code cannot be empty");
		TokenRequest body = new TokenRequest(this.registration.getClientId(), this.registration.getClientSecret(),
				code);
		return this.endpoint.exchange(this.endpoint.post(this.registration.getProviderDetails().getTokenUri())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.body(body), (request, response) -> {
				this.endpoint.require2xx(response);
				return read(response.getBody());
			});
	}

	private XrefTokenResponse read(InputStream body) throws IOException {
		JsonNode json;
		try {
			json = this.endpoint.readJson(body);
		}
		catch (JacksonException ex) {
			throw new XrefTokenException("Xref token endpoint answered with a body that is not JSON");
		}
		String accessToken = text(json, "access_token");
		String accountId = text(json, "xref_account_id");
		if (accessToken == null) {
			throw new XrefTokenException("Xref token endpoint answered without a non-empty access_token");
		}
		if (accountId == null) {
			throw new XrefUnusableTokenException(
					"Xref token endpoint answered with an access_token but without a non-empty xref_account_id",
					accessToken);
		}
		return new XrefTokenResponse(accessToken, accountId);
	}

	private static @Nullable String text(@Nullable JsonNode json, String field) {
		JsonNode value = (json != null) ? json.get(field) : null;
		if (value == null || !value.isString() || value.asString().isBlank()) {
			return null;
		}
		return value.asString();
	}

	/**
	 * The JSON body Xref expects. Its {@code toString()} hides the secret and the code,
	 * because HTTP clients log request bodies at debug level.
	 */
	private record TokenRequest(@JsonProperty("client_id") String clientId,
			@JsonProperty("client_secret") String clientSecret, @JsonProperty("code") String code) {

		@Override
		public String toString() {
			return "TokenRequest[client_id=" + this.clientId + ", client_secret=<hidden>, code=<hidden>]";
		}

	}

}
