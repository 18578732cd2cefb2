package io.github.xrefoauth.client.internal;

import java.util.function.Function;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.internal.XrefRateLimits;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpRequest;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Turns a {@code 429 Too Many Requests} of Xref into an {@link XrefRateLimitedException}
 * that carries the wait of its {@code Retry-After} header, for the calls of a
 * {@code WebClient} that read the answer with {@code retrieve()}: the counterpart of
 * {@link XrefRateLimitStatusHandler}. A handler that the call sets with {@code onStatus}
 * comes first. The body of the answer is released unread.
 *
 * @since 0.1.0
 */
public final class ReactiveXrefRateLimitStatusHandler implements Function<ClientResponse, Mono<? extends Throwable>> {

	/**
	 * Adds the handler as a default status handler of the builder.
	 * @param builder the builder of a client that calls Xref
	 * @return the builder
	 */
	public static WebClient.Builder register(WebClient.Builder builder) {
		Assert.notNull(builder, "builder cannot be null");
		return builder.defaultStatusHandler(XrefRateLimits::isRateLimited, new ReactiveXrefRateLimitStatusHandler());
	}

	@Override
	public Mono<? extends Throwable> apply(ClientResponse response) {
		HttpRequest request = response.request();
		XrefRateLimitedException exception = XrefRateLimits.exception(
				request.getMethod().name() + " " + request.getURI().getRawPath(), response.headers().asHttpHeaders());
		return response.releaseBody().thenReturn(exception);
	}

}
