package io.github.xrefoauth.callback.reactive;

import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.reactive.ReactiveXrefAccountStore;
import io.github.xrefoauth.account.reactive.ReactiveXrefTenantContext;
import io.github.xrefoauth.authorize.reactive.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.callback.XrefCallbackHandler;
import io.github.xrefoauth.callback.XrefConnectFailure;
import io.github.xrefoauth.token.XrefTokenClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Handles Xref's redirect back to a WebFlux application ({@code GET} to the path of
 * {@code redirect-uri}), with the steps and failure codes of {@link XrefCallbackHandler}:
 * takes the pending request of the {@code state} out of the repository (single use;
 * without one, Xref's token endpoint is never called), turns {@code error=...} into a
 * failure, exchanges the {@code code}, stores the token under the Xref account and links
 * the end user's tenant, and redirects to the success URL or to the failure URL with
 * {@code ?xref_error=<code>}.
 * <p>
 * The token exchange runs on a scheduler for blocking work, the store calls through
 * {@link ReactiveXrefAccountStore}: neither runs on an event-loop thread.
 */
public final class XrefServerCallbackHandler {

	private static final Log logger = LogFactory.getLog(XrefServerCallbackHandler.class);

	/** Failures that anyone can cause with a request: logged at debug level only. */
	private static final Set<XrefConnectFailure> REQUEST_FAILURES = EnumSet.of(XrefConnectFailure.DENIED,
			XrefConnectFailure.XREF_ERROR, XrefConnectFailure.INVALID_STATE, XrefConnectFailure.MISSING_CODE,
			XrefConnectFailure.NOT_AUTHENTICATED);

	private final ServerWebExchangeMatcher callbackMatcher;

	private final ServerXrefAuthorizationRequestRepository authorizationRequestRepository;

	private final XrefTokenClient tokenClient;

	private final ReactiveXrefAccountStore accountStore;

	private final ReactiveXrefTenantContext tenantContext;

	private String successUrl = "/";

	private String failureUrl = "/";

	private ServerRedirectStrategy redirectStrategy = new DefaultServerRedirectStrategy();

	private Scheduler scheduler = Schedulers.boundedElastic();

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a handler.
	 * @param callbackPath the path of the redirect URL registered with Xref, within the
	 * application
	 * @param authorizationRequestRepository the pending authorization requests
	 * @param tokenClient exchanges the code (blocking)
	 * @param accountStore stores the token
	 * @param tenantContext the end user's tenant
	 */
	public XrefServerCallbackHandler(String callbackPath,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository, XrefTokenClient tokenClient,
			ReactiveXrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tokenClient, "tokenClient cannot be null");
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.callbackMatcher = new PathPatternParserServerWebExchangeMatcher(callbackPath, HttpMethod.GET);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tokenClient = tokenClient;
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
	}

	/**
	 * Whether the request is Xref's callback.
	 * @param exchange the exchange
	 * @return {@code true} for a {@code GET} to the callback path
	 */
	public Mono<Boolean> matches(ServerWebExchange exchange) {
		return this.callbackMatcher.matches(exchange).map(ServerWebExchangeMatcher.MatchResult::isMatch);
	}

	/**
	 * Completes a connect and redirects the end user.
	 * @param exchange the callback exchange
	 * @return completes when the redirect is sent
	 */
	public Mono<Void> handle(ServerWebExchange exchange) {
		return complete(exchange).then(Mono.defer(() -> redirect(exchange, this.successUrl)))
			.onErrorResume(ConnectFailed.class, (ex) -> sendFailure(exchange, fail(ex.failure, ex.getCause())));
	}

	/**
	 * Sends the end user to the failure URL when a connect could not be started, e.g.
	 * because the pending request could not be saved.
	 * @param exchange the request to {@code /oauth2/authorization/xref}
	 * @param exception what went wrong
	 * @return completes when the redirect is sent
	 */
	public Mono<Void> startFailed(ServerWebExchange exchange, RuntimeException exception) {
		return sendFailure(exchange, fail(XrefConnectFailure.START_FAILED, exception));
	}

	private Mono<Void> complete(ServerWebExchange exchange) {
		return this.tenantContext.currentUser()
			.switchIfEmpty(Mono.error(() -> new ConnectFailed(XrefConnectFailure.NOT_AUTHENTICATED, null)))
			.flatMap((user) -> consumeState(exchange).flatMap((code) -> connect(user, code)));
	}

	private Mono<Void> connect(Authentication user, String code) {
		Mono<String> tenant = this.tenantContext.tenantOf(user)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("XrefTenantResolver returned no tenant key")));
		return attempt(XrefConnectFailure.NO_TENANT, tenant)
			.flatMap((tenantKey) -> attempt(XrefConnectFailure.TOKEN_EXCHANGE_FAILED,
					Mono.fromCallable(() -> this.tokenClient.exchange(code)).subscribeOn(this.scheduler))
				.flatMap((token) -> {
					XrefConnection connection = new XrefConnection(token.xrefAccountId(), token.accessToken(),
							this.clock.instant(), user.getName());
					return attempt(XrefConnectFailure.STORE_FAILED, this.accountStore.save(tenantKey, connection))
						.doOnSuccess((done) -> logger
							.info("Connected Xref account " + token.xrefAccountId() + " for tenant " + tenantKey));
				}));
	}

	/**
	 * Takes the pending request of the state out of the repository and returns the code
	 * that Xref sent along.
	 */
	private Mono<String> consumeState(ServerWebExchange exchange) {
		return attempt(XrefConnectFailure.STORE_FAILED,
				this.authorizationRequestRepository.removeAuthorizationRequest(exchange))
			.switchIfEmpty(Mono.error(() -> new ConnectFailed(XrefConnectFailure.INVALID_STATE, null)))
			.map((pending) -> {
				MultiValueMap<String, String> parameters = exchange.getRequest().getQueryParams();
				String error = parameters.getFirst(OAuth2ParameterNames.ERROR);
				if (error != null) {
					throw new ConnectFailed(OAuth2ErrorCodes.ACCESS_DENIED.equals(error) ? XrefConnectFailure.DENIED
							: XrefConnectFailure.XREF_ERROR, null);
				}
				String code = parameters.getFirst(OAuth2ParameterNames.CODE);
				if (!StringUtils.hasText(code)) {
					throw new ConnectFailed(XrefConnectFailure.MISSING_CODE, null);
				}
				return code;
			});
	}

	private static <T> Mono<T> attempt(XrefConnectFailure failure, Mono<T> step) {
		return step.onErrorMap((ex) -> !(ex instanceof ConnectFailed), (ex) -> new ConnectFailed(failure, ex));
	}

	private Mono<Void> sendFailure(ServerWebExchange exchange, XrefConnectFailure failure) {
		return redirect(exchange,
				UriComponentsBuilder.fromUriString(this.failureUrl)
					.queryParam(XrefCallbackHandler.FAILURE_PARAMETER, failure.code())
					.toUriString());
	}

	private Mono<Void> redirect(ServerWebExchange exchange, String location) {
		return this.redirectStrategy.sendRedirect(exchange, URI.create(location));
	}

	/**
	 * Logs the reason code and the type of the cause, never its message: messages of
	 * drivers and HTTP clients can carry stored values. Failures that any request can
	 * cause are logged at debug level, so that hostile requests cannot flood the log.
	 */
	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause) {
		String reason = (cause != null)
				? ": " + NestedExceptionUtils.getMostSpecificCause(cause).getClass().getSimpleName() : "";
		String message = "Xref connect failed with " + failure.code() + reason;
		if (!REQUEST_FAILURES.contains(failure)) {
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
		return failure;
	}

	/**
	 * Sets where the end user lands after a successful connect. Defaults to {@code /}.
	 * @param successUrl the URL
	 */
	public void setSuccessUrl(String successUrl) {
		Assert.hasText(successUrl, "successUrl cannot be empty");
		this.successUrl = successUrl;
	}

	/**
	 * Sets where the end user lands after a failed connect; the reason is appended as
	 * {@value XrefCallbackHandler#FAILURE_PARAMETER}. Defaults to {@code /}.
	 * @param failureUrl the URL
	 */
	public void setFailureUrl(String failureUrl) {
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
		this.failureUrl = failureUrl;
	}

	/**
	 * Sets the strategy that sends the end user on.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(ServerRedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the scheduler that runs the blocking token exchange. Defaults to
	 * {@link Schedulers#boundedElastic()}.
	 * @param scheduler a scheduler whose threads may block
	 */
	public void setScheduler(Scheduler scheduler) {
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.scheduler = scheduler;
	}

	/**
	 * Sets the clock that stamps new connections.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Ends a connect with a failure.
	 */
	private static final class ConnectFailed extends RuntimeException {

		private final XrefConnectFailure failure;

		ConnectFailed(XrefConnectFailure failure, @Nullable Throwable cause) {
			super(failure.code(), cause, false, false);
			this.failure = failure;
		}

	}

}
