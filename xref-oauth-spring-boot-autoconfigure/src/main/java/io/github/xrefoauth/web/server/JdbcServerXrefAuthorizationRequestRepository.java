package io.github.xrefoauth.web.server;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.github.xrefoauth.connect.XrefPendingRequestRules;
import io.github.xrefoauth.jdbc.JdbcXrefPendingRequests;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@link ServerXrefAuthorizationRequestRepository} in the
 * {@code xref_authorization_request} table, so that a connect started on one instance of
 * a WebFlux application completes on any other: the reactive counterpart of
 * {@code JdbcXrefAuthorizationRequestRepository}, with the same table, cookie and rules
 * (see there): both keep the rows through one {@link JdbcXrefPendingRequests}, which
 * drops the expired rows and keeps at most {@link #setMaxPendingPerBrowser(int) 10}
 * pending requests per browser and {@link #setMaxPendingPerEndUser(int) 20} per end user.
 * Each pending request is bound to the browser by an HTTP-only {@code SameSite=Lax}
 * cookie ({@code __Host-XREF_CONNECT} over HTTPS, {@code XREF_CONNECT} over HTTP) and to
 * the signed-in end user.
 * <p>
 * The database calls run on a scheduler for blocking work
 * ({@link Schedulers#boundedElastic()} by default), never on an event-loop thread.
 *
 * @since 0.1.0
 */
public final class JdbcServerXrefAuthorizationRequestRepository implements ServerXrefAuthorizationRequestRepository {

	private final XrefPendingRequestRules rules = new XrefPendingRequestRules();

	private final JdbcXrefPendingRequests pendingRequests;

	private Scheduler scheduler = Schedulers.boundedElastic();

	private String cookieName = JdbcXrefPendingRequests.DEFAULT_COOKIE_NAME;

	/**
	 * Creates a repository.
	 * @param dataSource the database that holds the {@code xref_authorization_request}
	 * table
	 */
	public JdbcServerXrefAuthorizationRequestRepository(DataSource dataSource) {
		this.pendingRequests = new JdbcXrefPendingRequests(dataSource, this.rules);
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> loadAuthorizationRequest(ServerWebExchange exchange) {
		return withPending(exchange,
				(state, binding, principal) -> this.pendingRequests.find(state, binding, principal).orElse(null));
	}

	@Override
	public Mono<Void> saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			ServerWebExchange exchange) {
		if (authorizationRequest == null) {
			return removeAuthorizationRequest(exchange).then();
		}
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		String existing = bindingCookieValue(exchange.getRequest());
		String binding = (existing != null) ? existing : this.pendingRequests.newBinding();
		return principalName(exchange).flatMap((principal) -> offload(() -> {
			this.pendingRequests.save(authorizationRequest, binding, principal);
			return binding;
		})).doOnNext((saved) -> exchange.getResponse().addCookie(bindingCookie(saved, exchange.getRequest()))).then();
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> removeAuthorizationRequest(ServerWebExchange exchange) {
		return withPending(exchange, this.pendingRequests::remove);
	}

	/**
	 * Sets how long a connect may take from the redirect to Xref to the callback.
	 * Defaults to 10 minutes.
	 * @param timeToLive the time to live of a pending request
	 */
	public void setTimeToLive(Duration timeToLive) {
		this.rules.setTimeToLive(timeToLive);
	}

	/**
	 * Sets how many connects one browser may have pending; beyond that the oldest are
	 * dropped. Defaults to 10.
	 * @param maxPendingPerBrowser the maximum number of pending requests per browser
	 */
	public void setMaxPendingPerBrowser(int maxPendingPerBrowser) {
		this.rules.setMaxPendingPerBrowser(maxPendingPerBrowser);
	}

	/**
	 * Sets how many connects one end user may have pending, over all browsers; beyond
	 * that the oldest are dropped. Defaults to 20.
	 * @param maxPendingPerEndUser the maximum number of pending requests per end user
	 */
	public void setMaxPendingPerEndUser(int maxPendingPerEndUser) {
		this.rules.setMaxPendingPerEndUser(maxPendingPerEndUser);
	}

	/**
	 * Sets the clock that decides expiry. Instances sharing the table need clocks that
	 * agree to well within the time to live.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		this.rules.setClock(clock);
	}

	/**
	 * Sets the name of the cookie that binds pending requests to the browser. Defaults to
	 * {@value JdbcXrefPendingRequests#DEFAULT_COOKIE_NAME}; on HTTPS the name is prefixed
	 * with {@value JdbcXrefPendingRequests#SECURE_COOKIE_PREFIX}.
	 * @param cookieName the cookie name
	 */
	public void setCookieName(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	/**
	 * Sets the scheduler that runs the database calls. Defaults to
	 * {@link Schedulers#boundedElastic()}.
	 * @param scheduler a scheduler whose threads may block
	 */
	public void setScheduler(Scheduler scheduler) {
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.scheduler = scheduler;
	}

	private Mono<OAuth2AuthorizationRequest> withPending(ServerWebExchange exchange, PendingCall call) {
		String state = exchange.getRequest().getQueryParams().getFirst(OAuth2ParameterNames.STATE);
		String binding = bindingCookieValue(exchange.getRequest());
		if (state == null || binding == null) {
			return Mono.empty();
		}
		return principalName(exchange).flatMap((principal) -> offload(() -> call.apply(state, binding, principal)));
	}

	private <T> Mono<T> offload(Callable<@Nullable T> call) {
		return Mono.fromCallable(call).subscribeOn(this.scheduler);
	}

	/**
	 * Returns the name of the signed-in end user, or an empty string for none.
	 */
	private static Mono<String> principalName(ServerWebExchange exchange) {
		return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("");
	}

	private static boolean isSecure(ServerHttpRequest request) {
		return "https".equalsIgnoreCase(request.getURI().getScheme());
	}

	private String cookieName(ServerHttpRequest request) {
		return JdbcXrefPendingRequests.bindingCookieName(this.cookieName, isSecure(request));
	}

	private @Nullable String bindingCookieValue(ServerHttpRequest request) {
		HttpCookie cookie = request.getCookies().getFirst(cookieName(request));
		return (cookie != null && StringUtils.hasText(cookie.getValue())) ? cookie.getValue() : null;
	}

	private ResponseCookie bindingCookie(String binding, ServerHttpRequest request) {
		boolean secure = isSecure(request);
		return ResponseCookie.from(cookieName(request), binding)
			.path(JdbcXrefPendingRequests.bindingCookiePath(secure, request.getPath().contextPath().value()))
			.secure(secure)
			.httpOnly(true)
			.maxAge(this.rules.getTimeToLive())
			.sameSite("Lax")
			.build();
	}

	@FunctionalInterface
	private interface PendingCall {

		@Nullable OAuth2AuthorizationRequest apply(String state, String binding, String principal);

	}

}
