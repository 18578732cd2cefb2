package io.github.xrefoauth.web.server;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Answers {@code GET /oauth2/authorization/xref} of a WebFlux application with a redirect
 * to Xref's authorize URL and keeps the pending request in a
 * {@link ServerXrefAuthorizationRequestRepository}. Every other request passes untouched:
 * unlike Spring Security's {@code OAuth2AuthorizationRequestRedirectWebFilter}, it does
 * not catch what the rest of the chain signals, so the application's own OAuth 2 clients
 * keep their re-authorization.
 */
final class XrefAuthorizationRequestRedirectWebFilter implements WebFilter {

	private final ServerXrefAuthorizationRequestResolver resolver;

	private final ServerXrefAuthorizationRequestRepository repository;

	private final StartFailureHandler failureHandler;

	private ServerRedirectStrategy redirectStrategy = new DefaultServerRedirectStrategy();

	private StartCheck startCheck = (exchange) -> Mono.empty();

	/**
	 * Creates a filter.
	 * @param resolver resolves the Xref authorization request
	 * @param repository keeps the pending request until the callback
	 * @param failureHandler answers when the request cannot be resolved or saved
	 */
	public XrefAuthorizationRequestRedirectWebFilter(ServerXrefAuthorizationRequestResolver resolver,
			ServerXrefAuthorizationRequestRepository repository, StartFailureHandler failureHandler) {
		Assert.notNull(resolver, "resolver cannot be null");
		Assert.notNull(repository, "repository cannot be null");
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.resolver = resolver;
		this.repository = repository;
		this.failureHandler = failureHandler;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return this.resolver.resolve(exchange)
			.flatMap((request) -> this.startCheck.check(exchange)
				.then(Mono.defer(() -> this.repository.saveAuthorizationRequest(request, exchange)))
				.then(Mono.defer(() -> this.redirectStrategy.sendRedirect(exchange,
						URI.create(request.getAuthorizationRequestUri()))))
				.thenReturn(true))
			.onErrorResume(RuntimeException.class,
					(ex) -> this.failureHandler.onStartFailure(exchange, ex).thenReturn(true))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(false)))
			.then();
	}

	/**
	 * Sets the strategy that sends the end user to Xref.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(ServerRedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the check that runs before a connect is saved and the end user is sent to
	 * Xref; the error it signals goes to the {@link StartFailureHandler}. By default
	 * every connect starts.
	 * @param startCheck the check
	 */
	public void setStartCheck(StartCheck startCheck) {
		Assert.notNull(startCheck, "startCheck cannot be null");
		this.startCheck = startCheck;
	}

	/**
	 * Refuses connects that could never complete.
	 */
	@FunctionalInterface
	public interface StartCheck {

		/**
		 * Completes empty if the connect may start.
		 * @param exchange the request to start a connect
		 * @return completes empty, or with an error to refuse the connect
		 */
		Mono<Void> check(ServerWebExchange exchange);

	}

	/**
	 * Answers a connect that could not be started.
	 */
	@FunctionalInterface
	public interface StartFailureHandler {

		/**
		 * Answers the request, typically with a redirect to a failure page.
		 * @param exchange the request to start a connect
		 * @param exception what went wrong
		 * @return completes when the answer is written
		 */
		Mono<Void> onStartFailure(ServerWebExchange exchange, RuntimeException exception);

	}

}
