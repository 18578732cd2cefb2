package io.github.xrefoauth.web.server;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Hands Xref's callback to the {@link ServerXrefCallbackHandler}; every other request
 * passes on.
 */
final class XrefCallbackWebFilter implements WebFilter {

	private final ServerXrefCallbackHandler callbackHandler;

	/**
	 * Creates a filter.
	 * @param callbackHandler completes the connect
	 */
	public XrefCallbackWebFilter(ServerXrefCallbackHandler callbackHandler) {
		Assert.notNull(callbackHandler, "callbackHandler cannot be null");
		this.callbackHandler = callbackHandler;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return this.callbackHandler.matches(exchange)
			.flatMap((callback) -> callback ? this.callbackHandler.handle(exchange) : chain.filter(exchange));
	}

}
