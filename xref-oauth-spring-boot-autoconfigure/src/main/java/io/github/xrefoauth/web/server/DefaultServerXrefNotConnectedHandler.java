package io.github.xrefoauth.web.server;

import java.net.URI;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.util.Assert;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends a browser to connect and tells other clients why their request failed, as
 * {@link XrefNotConnectedAnswer} says for both web stacks; the WebFlux counterpart of
 * {@code DefaultXrefNotConnectedHandler}.
 * <ul>
 * <li>A browser request ({@code Accept} names {@code text/html}, and it is not an
 * {@code XMLHttpRequest}) is redirected to {@code /oauth2/authorization/xref}, when the
 * end user may open it; an anonymous end user is redirected too, and the application's
 * rules ask them to log in first. The {@code Location} header is a path: it takes nothing
 * from the request's {@code Host} header. An authenticated end user who may not connect
 * gets a {@code 409} error page.</li>
 * <li>Any other request gets {@code 409 Conflict} with an RFC 9457 problem detail
 * ({@code application/problem+json}); its {@code connectUri} member names the connect
 * path when the end user may open it, its {@code reason} member is
 * {@code reconnect_needed} (with {@code rejectedAt}) when Xref rejected the token of the
 * tenant's account, else {@code not_connected}.</li>
 * <li>An exchange that failed because Xref limited the rate of calls gets
 * {@code 503 Service Unavailable} with a {@code Retry-After} header: the error page for a
 * browser, a problem detail for any other client.</li>
 * </ul>
 * WebFlux has no counterpart of the servlet stack's
 * {@code WebInvocationPrivilegeEvaluator} to read the filter chain's rules, so every
 * authenticated end user may connect unless {@link #setConnectAuthorizationManager} says
 * otherwise; the connect path itself still applies the chain's rules.
 *
 * @since 0.1.0
 */
public final class DefaultServerXrefNotConnectedHandler implements ServerXrefNotConnectedHandler {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private ServerWebExchangeMatcher browserExchangeMatcher = DefaultServerXrefNotConnectedHandler::isBrowser;

	private ServerRedirectStrategy redirectStrategy = new DefaultServerRedirectStrategy();

	private @Nullable ReactiveAuthorizationManager<ServerWebExchange> connectAuthorizationManager;

	@Override
	public Mono<Void> onNotConnected(ServerWebExchange exchange, RuntimeException exception) {
		Mono<Boolean> browser = this.browserExchangeMatcher.matches(exchange).map(MatchResult::isMatch);
		Mono<EndUser> endUser = ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter(this.trustResolver::isAuthenticated)
			.flatMap((user) -> mayConnect(user, exchange))
			.map((mayConnect) -> new EndUser(true, mayConnect))
			.defaultIfEmpty(EndUser.ANONYMOUS);
		String contextPath = exchange.getRequest().getPath().contextPath().value();
		return Mono.zip(browser, endUser)
			.flatMap((decided) -> answer(exchange, XrefNotConnectedAnswer.of(decided.getT1(),
					decided.getT2().authenticated(), decided.getT2().mayConnect(), contextPath, exception)));
	}

	/**
	 * Answers {@code 503 Service Unavailable} with a {@code Retry-After} header: a
	 * browser gets the error page, any other client a problem detail.
	 */
	@Override
	public Mono<Void> onRateLimited(ServerWebExchange exchange, XrefRateLimitedException exception) {
		return this.browserExchangeMatcher.matches(exchange)
			.flatMap((browser) -> answer(exchange, XrefNotConnectedAnswer.rateLimited(browser.isMatch(), exception)));
	}

	private Mono<Boolean> mayConnect(Authentication user, ServerWebExchange exchange) {
		if (this.connectAuthorizationManager == null) {
			return Mono.just(true);
		}
		return this.connectAuthorizationManager.authorize(Mono.just(user), exchange)
			.map(AuthorizationResult::isGranted)
			.defaultIfEmpty(false);
	}

	private Mono<Void> answer(ServerWebExchange exchange, XrefNotConnectedAnswer answer) {
		String retryAfter = answer.retryAfter();
		if (retryAfter != null) {
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		return switch (answer.kind()) {
			case REDIRECT ->
				this.redirectStrategy.sendRedirect(exchange, URI.create(XrefNotConnectedAnswer.CONNECT_PATH));
			case ERROR_PAGE -> Mono.error(new ResponseStatusException(answer.status(), answer.detail()));
			case PROBLEM_DETAIL -> {
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(answer.status());
				response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
				byte[] body = answer.problemDetailJson();
				yield response.writeWith(Mono.fromSupplier(() -> (DataBuffer) response.bufferFactory().wrap(body)));
			}
		};
	}

	/**
	 * Sets which exchanges come from a browser and are redirected. The default is
	 * {@link XrefNotConnectedAnswer#isBrowser}.
	 * @param browserExchangeMatcher the matcher
	 */
	public void setBrowserExchangeMatcher(ServerWebExchangeMatcher browserExchangeMatcher) {
		Assert.notNull(browserExchangeMatcher, "browserExchangeMatcher cannot be null");
		this.browserExchangeMatcher = browserExchangeMatcher;
	}

	/**
	 * Sets the strategy that sends a browser to connect. The default sends the path,
	 * after the context path, as the {@code Location} header, without making it absolute.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(ServerRedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets which authenticated end users may connect, for instance
	 * {@code AuthorityReactiveAuthorizationManager.hasRole("USER")} where the chain's
	 * rules say the same of {@code /oauth2/authorization/xref}. It is asked with the
	 * failed exchange. By default every authenticated end user may connect.
	 * @param connectAuthorizationManager decides who may connect
	 */
	public void setConnectAuthorizationManager(
			ReactiveAuthorizationManager<ServerWebExchange> connectAuthorizationManager) {
		Assert.notNull(connectAuthorizationManager, "connectAuthorizationManager cannot be null");
		this.connectAuthorizationManager = connectAuthorizationManager;
	}

	private static Mono<MatchResult> isBrowser(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		boolean browser = XrefNotConnectedAnswer.isBrowser(request.getHeaders().get(HttpHeaders.ACCEPT),
				request.getHeaders().getFirst("X-Requested-With"));
		return browser ? MatchResult.match() : MatchResult.notMatch();
	}

	private record EndUser(boolean authenticated, boolean mayConnect) {

		static final EndUser ANONYMOUS = new EndUser(false, false);

	}

}
