package io.github.xrefoauth.web.server;

import io.github.xrefoauth.account.XrefRateLimitedException;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Answers an exchange whose handling failed because the end user's tenant has no Xref
 * connection: an {@code XrefNotConnectedException}, or Spring Security's
 * {@code ClientAuthorizationRequiredException} for the {@code xref} registration; and one
 * that failed because Xref limited the rate of calls ({@link XrefRateLimitedException}).
 * The WebFlux counterpart of {@code XrefNotConnectedHandler}.
 *
 * @since 0.1.0
 * @see DefaultServerXrefNotConnectedHandler
 */
@FunctionalInterface
public interface ServerXrefNotConnectedHandler {

	/**
	 * Answers the exchange; the response is not committed yet.
	 * @param exchange the exchange
	 * @param exception the exception that says that no account is connected
	 * @return completes when the answer is written, or fails with what is left to the
	 * application's error handling
	 */
	Mono<Void> onNotConnected(ServerWebExchange exchange, RuntimeException exception);

	/**
	 * Answers an exchange that failed because Xref limited the rate of calls; the
	 * response is not committed yet. By default, as
	 * {@link DefaultServerXrefNotConnectedHandler} does: {@code 503 Service Unavailable}
	 * with a {@code Retry-After} header.
	 * @param exchange the exchange
	 * @param exception what Xref answered, with the wait
	 * @return completes when the answer is written, or fails with what is left to the
	 * application's error handling
	 */
	default Mono<Void> onRateLimited(ServerWebExchange exchange, XrefRateLimitedException exception) {
		return new DefaultServerXrefNotConnectedHandler().onRateLimited(exchange, exception);
	}

}
