package io.github.xrefoauth.web.server;

import java.net.URI;
import java.util.Optional;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.observation.ReactiveXrefObservations;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.github.xrefoauth.web.XrefCallbackHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
 * ({@link XrefConnectManager}): a failed save is read back, a token the store does not
 * keep and the token a reconnect replaced are revoked, outcomes are counted in
 * {@link XrefConnectOutcomes} and faults are warned about at a bounded rate. That
 * blocking work runs on a scheduler for blocking work, never on an event-loop thread.
 * <p>
 * Each connect, from the callback to its outcome, and each connect that could not start
 * is the {@code xref.connect} observation, as in the servlet handler. A connect that has
 * started runs to its end even if the client goes away.
 */
public final class ServerXrefCallbackHandler {

	private final ServerWebExchangeMatcher callbackMatcher;

	private final ServerXrefAuthorizationRequestRepository authorizationRequestRepository;

	private final ReactiveXrefTenantContext tenantContext;

	private final XrefConnectManager completion;

	private XrefConnectRedirects redirects = XrefConnectRedirects.ROOT;

	private ServerRedirectStrategy redirectStrategy = new DefaultServerRedirectStrategy();

	private Scheduler scheduler = Schedulers.boundedElastic();

	/**
	 * Creates a handler.
	 * @param callbackPath the path of the redirect URL registered with Xref, within the
	 * application
	 * @param authorizationRequestRepository the pending authorization requests
	 * @param tenantContext the end user's tenant
	 * @param completion exchanges the code and stores the token (blocking), and counts,
	 * publishes and observes the outcome
	 */
	public ServerXrefCallbackHandler(String callbackPath,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository,
			ReactiveXrefTenantContext tenantContext, XrefConnectManager completion) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(completion, "completion cannot be null");
		this.callbackMatcher = new PathPatternParserServerWebExchangeMatcher(callbackPath, HttpMethod.GET);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tenantContext = tenantContext;
		this.completion = completion;
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
		Mono<XrefConnectFailure> failure = complete(exchange).then(Mono.<XrefConnectFailure>empty())
			.onErrorResume(ConnectFailed.class,
					(ex) -> ex.counted ? Mono.just(ex.failure) : fail(ex.failure, ex.getCause()));
		// A connect runs to its end even if the end user's browser goes away meanwhile: a
		// token that Xref issued is then still stored, or revoked. Only the redirect is
		// left out.
		Mono<XrefConnectFailure> outcome = Mono
			.deferContextual((context) -> Mono.fromFuture(observed(failure).contextWrite(context).toFuture(), true));
		return outcome.map(this.redirects::failureUrl)
			.defaultIfEmpty(this.redirects.successUrl())
			.flatMap((location) -> redirect(exchange, location));
	}

	/**
	 * Sends the end user to the failure URL when a connect could not be started, e.g.
	 * because the pending request could not be saved.
	 * @param exchange the request to {@code /oauth2/authorization/xref}
	 * @param exception what went wrong
	 * @return completes when the redirect is sent
	 */
	public Mono<Void> startFailed(ServerWebExchange exchange, RuntimeException exception) {
		return observed(fail(XrefConnectFailure.START_FAILED, exception))
			.flatMap((failure) -> redirect(exchange, this.redirects.failureUrl(failure)));
	}

	/**
	 * Observes a connect as {@code xref.connect}, ended before its outcome goes on to the
	 * redirect.
	 * @param connect completes empty once connected, or with why the connect failed
	 */
	private Mono<XrefConnectFailure> observed(Mono<XrefConnectFailure> connect) {
		return new ReactiveXrefObservations(this.completion.getObservationRegistry()).observe(
				XrefObservationDocumentation.CONNECT, connect, (failure) -> (failure != null) ? failure.code() : null);
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
			.flatMap((tenantKey) -> Mono.deferContextual((context) -> Mono
				.fromCallable(() -> completeWithin(context.getOrDefault(ObservationThreadLocalAccessor.KEY, null),
						tenantKey, code, user.getName())))
				.subscribeOn(this.scheduler))
			.flatMap((failure) -> Mono.error(new ConnectFailed(failure, null, true)));
	}

	/**
	 * Completes the connect with its {@code xref.connect} observation as the current one,
	 * so that the token exchange is observed within it, as on the servlet stack.
	 */
	private @Nullable XrefConnectFailure completeWithin(@Nullable Observation connect, String tenantKey, String code,
			String userName) {
		if (connect == null) {
			return this.completion.complete(tenantKey, code, userName);
		}
		try (Observation.Scope scope = connect.openScope()) {
			return this.completion.complete(tenantKey, code, userName);
		}
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

	private Mono<Void> redirect(ServerWebExchange exchange, String location) {
		return this.redirectStrategy.sendRedirect(exchange, URI.create(location));
	}

	/**
	 * Counts, logs and publishes the failure with the end user and their tenant, if
	 * known; see {@link XrefConnectManager#fail}.
	 */
	private Mono<XrefConnectFailure> fail(XrefConnectFailure failure, @Nullable Throwable cause) {
		return this.tenantContext.currentUser()
			.flatMap((user) -> this.tenantContext.tenantOf(user)
				.map(Optional::of)
				.onErrorResume((ex) -> Mono.just(Optional.empty()))
				.defaultIfEmpty(Optional.empty())
				.map((tenantKey) -> this.completion.fail(failure, cause, tenantKey.orElse(null), user.getName())))
			.switchIfEmpty(Mono.fromSupplier(() -> this.completion.fail(failure, cause)));
	}

	/**
	 * Sets where the end user lands after a connect; the reason of a failure is appended
	 * as {@value XrefConnectRedirects#FAILURE_PARAMETER}. Defaults to {@code /} for both.
	 * @param redirects the URLs
	 */
	public void setRedirects(XrefConnectRedirects redirects) {
		Assert.notNull(redirects, "redirects cannot be null");
		this.redirects = redirects;
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
