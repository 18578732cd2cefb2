package io.github.xrefoauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import io.github.xrefoauth.token.XrefTokenException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Sends a request to one of Xref's OAuth endpoints and reads its answer, shared by
 * {@link RestClientXrefTokenClient} and {@link RestClientXrefTokenRevoker}. Every failure
 * is an {@link XrefTokenException} that names the endpoint.
 */
final class XrefTokenEndpoint {

	private final String name;

	private final Supplier<RestClient> restClient;

	private final JsonMapper jsonMapper = JsonMapper.shared();

	/**
	 * Creates an endpoint.
	 * @param name the endpoint's name in messages, e.g. {@code token}
	 * @param restClient supplies the client that sends the requests, asked once, on the
	 * first request
	 */
	XrefTokenEndpoint(String name, Supplier<RestClient> restClient) {
		Assert.notNull(restClient, "restClient cannot be null");
		this.name = name;
		this.restClient = SingletonSupplier.of(restClient);
	}

	/**
	 * Starts a {@code POST} to the endpoint.
	 * @param uri the endpoint's absolute URI
	 * @return the request to complete
	 */
	RestClient.RequestBodySpec post(String uri) {
		return this.restClient.get().post().uri(uri);
	}

	/**
	 * Sends the request and hands the answer to the function.
	 * @throws XrefTokenException if Xref could not be reached
	 */
	<T> @Nullable T exchange(RestClient.RequestHeadersSpec<?> request,
			RestClient.RequestHeadersSpec.ExchangeFunction<T> answer) {
		try {
			return request.exchange(answer);
		}
		catch (RestClientException ex) {
			throw new XrefTokenException(
					"Xref " + this.name + " endpoint could not be reached: " + ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * Checks that the answer has a 2xx status.
	 * @throws XrefTokenException otherwise; caused by an
	 * {@link io.github.xrefoauth.account.XrefRateLimitedException} on a {@code 429}
	 */
	void require2xx(ClientHttpResponse response) throws IOException {
		if (XrefRateLimits.isRateLimited(response.getStatusCode())) {
			throw new XrefTokenException("Xref " + this.name + " endpoint answered HTTP 429",
					XrefRateLimits.exception("POST to the " + this.name + " endpoint", response.getHeaders()));
		}
		if (!response.getStatusCode().is2xxSuccessful()) {
			throw new XrefTokenException(
					"Xref " + this.name + " endpoint answered HTTP " + response.getStatusCode().value());
		}
	}

	/**
	 * Reads at most {@link XrefApiAnswer#MAX_BODY_BYTES} bytes of the body as JSON, the
	 * limit of every answer of Xref.
	 * @throws tools.jackson.core.JacksonException if the body is not JSON
	 */
	@Nullable JsonNode readJson(InputStream body) throws IOException {
		return this.jsonMapper.readTree(body.readNBytes(XrefApiAnswer.MAX_BODY_BYTES));
	}

}
