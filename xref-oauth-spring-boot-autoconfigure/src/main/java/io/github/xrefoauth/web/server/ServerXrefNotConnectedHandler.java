package io.github.xrefoauth.web.server;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Answers an exchange whose handling failed because the end user's tenant has no Xref
 * connection: an {@code XrefNotConnectedException}, or Spring Security's
 * {@code ClientAuthorizationRequiredException} for the {@code xref} registration. The
 * WebFlux counterpart of {@code XrefNotConnectedHandler}.
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

}
