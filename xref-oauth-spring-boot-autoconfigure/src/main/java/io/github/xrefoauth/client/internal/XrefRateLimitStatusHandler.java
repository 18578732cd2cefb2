package io.github.xrefoauth.client.internal;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.internal.XrefRateLimits;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Turns a {@code 429 Too Many Requests} of Xref into an {@link XrefRateLimitedException}
 * that carries the wait of its {@code Retry-After} header, for the calls of a
 * {@code RestClient} that read the answer with {@code retrieve()} (HTTP service clients
 * do). A handler that the call sets with {@code onStatus} comes first.
 *
 * @since 0.1.0
 */
public final class XrefRateLimitStatusHandler implements RestClient.ResponseSpec.ErrorHandler {

	/**
	 * Adds the handler as a default status handler of the builder.
	 * @param builder the builder of a client that calls Xref
	 * @return the builder
	 */
	public static RestClient.Builder register(RestClient.Builder builder) {
		Assert.notNull(builder, "builder cannot be null");
		return builder.defaultStatusHandler(XrefRateLimits::isRateLimited, new XrefRateLimitStatusHandler());
	}

	@Override
	public void handle(HttpRequest request, ClientHttpResponse response) {
		throw XrefRateLimits.exception(request.getMethod().name() + " " + request.getURI().getRawPath(),
				response.getHeaders());
	}

}
