package io.github.xrefoauth.web.server;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import reactor.core.publisher.Mono;

import org.springframework.security.web.util.ThrowableAnalyzer;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Hands an {@code XrefNotConnectedException} that the rest of the chain fails with, or a
 * {@code ClientAuthorizationRequiredException} for {@code xref}, to a
 * {@link ServerXrefNotConnectedHandler} instead of letting it become a 500; so too an
 * {@link XrefRateLimitedException} ({@link ServerXrefNotConnectedHandler#onRateLimited}).
 * As the servlet {@code XrefNotConnectedFilter} does, it finds the exception anywhere in
 * the cause chain; every other failure, and one after the response was committed, passes
 * unchanged.
 */
final class XrefNotConnectedWebFilter implements WebFilter {

	private final ThrowableAnalyzer throwableAnalyzer = new ThrowableAnalyzer();

	private final ServerXrefNotConnectedHandler handler;

	XrefNotConnectedWebFilter(ServerXrefNotConnectedHandler handler) {
		Assert.notNull(handler, "handler cannot be null");
		this.handler = handler;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange).onErrorResume((ex) -> {
			if (exchange.getResponse().isCommitted()) {
				return Mono.error(ex);
			}
			Throwable[] causeChain = this.throwableAnalyzer.determineCauseChain(ex);
			RuntimeException notConnected = XrefNotConnectedAnswer.findNotConnected(causeChain);
			if (notConnected != null) {
				return this.handler.onNotConnected(exchange, notConnected);
			}
			XrefRateLimitedException rateLimited = XrefNotConnectedAnswer.findRateLimited(causeChain);
			if (rateLimited == null) {
				return Mono.error(ex);
			}
			return this.handler.onRateLimited(exchange, rateLimited);
		});
	}

}
