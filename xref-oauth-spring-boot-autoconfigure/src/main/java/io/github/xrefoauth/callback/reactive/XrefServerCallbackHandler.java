package io.github.xrefoauth.callback.reactive;

import java.net.URI;
import java.time.Clock;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.reactive.ReactiveXrefTenantContext;
import io.github.xrefoauth.authorize.reactive.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.callback.XrefCallbackHandler;
import io.github.xrefoauth.callback.XrefConnectCompletion;
import io.github.xrefoauth.callback.XrefConnectFailure;
import io.github.xrefoauth.callback.XrefConnectOutcomes;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ApplicationEventPublisher;
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
 * The exchange, the store calls and the revocations are those of the servlet handler
 * ({@link XrefConnectCompletion}): a failed save is read back, a token the store does not
 * keep and the token a reconnect replaced are revoked, outcomes are counted in
 * {@link XrefConnectOutcomes} and faults are warned about at a bounded rate. That
 * blocking work runs on a scheduler for blocking work, never on an event-loop thread.
 */
public final class XrefServerCallbackHandler {

	private static final Log logger = LogFactory.getLog(XrefServerCallbackHandler.class);

	private final ServerWebExchangeMatcher callbackMatcher;

	private final ServerXrefAuthorizationRequestRepository authorizationRequestRepository;

	private final ReactiveXrefTenantContext tenantContext;

	private final XrefConnectCompletion completion;

	private String successUrl = "/";

	private String failureUrl = "/";

	private ServerRedirectStrategy redirectStrategy = new DefaultServerRedirectStrategy();

	private Scheduler scheduler = Schedulers.boundedElastic();

	/**
	 * Creates a handler.
	 * @param callbackPath the path of the redirect URL registered with Xref, within the
	 * application
	 * @param authorizationRequestRepository the pending authorization requests
	 * @param tokenClient exchanges the code (blocking)
	 * @param accountStore stores the token (blocking)
	 * @param tenantContext the end user's tenant
	 */
	public XrefServerCallbackHandler(String callbackPath,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository, XrefTokenClient tokenClient,
			XrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tokenClient, "tokenClient cannot be null");
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.callbackMatcher = new PathPatternParserServerWebExchangeMatcher(callbackPath, HttpMethod.GET);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tenantContext = tenantContext;
		this.completion = new XrefConnectCompletion(tokenClient, accountStore, logger);
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
			.onErrorResume(ConnectFailed.class,
					(ex) -> sendFailure(exchange, ex.counted ? ex.failure : fail(ex.failure, ex.getCause())));
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
			.flatMap((tenantKey) -> Mono.fromCallable(() -> this.completion.complete(tenantKey, code, user.getName()))
				.subscribeOn(this.scheduler))
			.flatMap((failure) -> Mono.error(new ConnectFailed(failure, null, true)));
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
	 * Counts and logs the failure; see {@link XrefConnectCompletion#fail}.
	 */
	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause) {
		return this.completion.fail(failure, cause);
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
	 * Sets the scheduler that runs the blocking exchange, store calls and revocations.
	 * Defaults to {@link Schedulers#boundedElastic()}.
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
		this.completion.setClock(clock);
	}

	/**
	 * Sets where completed and failed connects are counted.
	 * @param outcomes the counters
	 */
	public void setConnectOutcomes(XrefConnectOutcomes outcomes) {
		this.completion.setConnectOutcomes(outcomes);
	}

	/**
	 * Sets what revokes tokens that the store does not keep: a new token that could not
	 * be stored, and the token that a reconnect replaced. Without one, such tokens stay
	 * valid at Xref and a warning is logged.
	 * @param tokenRevoker the revoker
	 */
	public void setTokenRevoker(XrefTokenRevoker tokenRevoker) {
		this.completion.setTokenRevoker(tokenRevoker);
	}

	/**
	 * Sets the publisher of {@code XrefConnectedEvent} and
	 * {@code XrefConnectFailedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.completion.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Sets the registry of the {@code xref.token.exchange} observation. Defaults to
	 * {@link ObservationRegistry#NOOP}.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.completion.setObservationRegistry(observationRegistry);
	}

	/**
	 * Ends a connect with a failure.
	 */
	private static final class ConnectFailed extends RuntimeException {

		private final XrefConnectFailure failure;

		/** Whether the failure is counted and logged already. */
		private final boolean counted;

		ConnectFailed(XrefConnectFailure failure, @Nullable Throwable cause) {
			this(failure, cause, false);
		}

		ConnectFailed(XrefConnectFailure failure, @Nullable Throwable cause, boolean counted) {
			super(failure.code(), cause, false, false);
			this.failure = failure;
			this.counted = counted;
		}

	}

}
