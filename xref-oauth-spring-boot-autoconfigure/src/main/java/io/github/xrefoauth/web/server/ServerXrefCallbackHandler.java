package io.github.xrefoauth.web.server;

import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectManager.EndUser;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.internal.ReactiveXrefObservations;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

/**
 * Handles Xref's redirect back to a WebFlux application ({@code GET} to the path of
 * {@code redirect-uri}), with the steps, failure codes and reports of
 * {@code XrefCallbackHandler}: both hand what they read to one
 * {@link XrefConnectManager}, which holds the rules. This handler reads the end user, the
 * tenant and the pending request of the {@code state} (taken out of the repository:
 * single use), runs the manager on a scheduler for blocking work, never on an event-loop
 * thread, and redirects to the success URL or to the failure URL with
 * {@code ?xref_error=<code>}.
 * <p>
 * Each connect, from the callback to its outcome, and each connect that could not start
 * is the {@code xref.connect} observation, as in the servlet handler. A connect that has
 * started runs to its end even if the client goes away.
 *
 * @since 0.1.0
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
	 * @param manager applies the rules of a connect: checks the callback, exchanges the
	 * code and stores the token (blocking), and counts, publishes and observes the
	 * outcome
	 */
	public ServerXrefCallbackHandler(String callbackPath,
			ServerXrefAuthorizationRequestRepository authorizationRequestRepository,
			ReactiveXrefTenantContext tenantContext, XrefConnectManager manager) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(manager, "manager cannot be null");
		this.callbackMatcher = new PathPatternParserServerWebExchangeMatcher(callbackPath);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tenantContext = tenantContext;
		this.completion = manager;
	}

	/**
	 * Whether the request is Xref's callback.
	 * @param exchange the exchange
	 * @return {@code true} for a request to the callback path, whatever its method
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
		if (!HttpMethod.GET.equals(exchange.getRequest().getMethod())) {
			return refuseMethod(exchange);
		}
		MultiValueMap<String, String> parameters = exchange.getRequest().getQueryParams();
		String error = parameters.getFirst(OAuth2ParameterNames.ERROR);
		String code = parameters.getFirst(OAuth2ParameterNames.CODE);
		Mono<XrefConnectFailure> failure = currentEndUser()
			.flatMap((endUser) -> pendingRequest(endUser, exchange).flatMap((pending) -> Mono
				.deferContextual((context) -> Mono.fromCallable(() -> handleCallbackWithin(
						context.getOrDefault(ObservationThreadLocalAccessor.KEY, null), endUser, pending, error, code)))
				.subscribeOn(this.scheduler)));
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
	 * Answers a callback that is not a {@code GET} with {@code 405} before anything is
	 * read or stored (a {@code HEAD} must not complete a connect), counted as
	 * {@code invalid_request}, as on the servlet stack.
	 */
	private Mono<Void> refuseMethod(ServerWebExchange exchange) {
		return currentEndUser()
			.map((endUser) -> this.completion.fail(XrefConnectFailure.INVALID_REQUEST, null, endUser))
			.then(Mono.fromRunnable(() -> {
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
				response.getHeaders().setAllow(Set.of(HttpMethod.GET));
			}))
			.then(exchange.getResponse().setComplete());
	}

	/**
	 * Refuses to start a connect that could never complete, before anything is saved and
	 * before the end user is sent to Xref ({@link XrefConnectManager#checkStart}): the
	 * start check of {@link XrefAuthorizationRequestRedirectWebFilter}. Hand the error it
	 * signals to {@link #startFailed}.
	 * @param exchange the request to {@code /oauth2/authorization/xref}
	 * @return completes empty if the connect may start, or with an error to refuse it
	 */
	public Mono<Void> checkStart(ServerWebExchange exchange) {
		return currentEndUser().doOnNext(this.completion::checkStart).then();
	}

	/**
	 * Sends the end user to the failure URL when a connect could not be started: refused
	 * by {@link #checkStart}, or because its pending request could not be saved.
	 * @param exchange the request to {@code /oauth2/authorization/xref}
	 * @param exception what went wrong
	 * @return completes when the redirect is sent
	 */
	public Mono<Void> startFailed(ServerWebExchange exchange, RuntimeException exception) {
		return observed(currentEndUser().map((endUser) -> this.completion.startFailed(exception, endUser)))
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

	/**
	 * Reads the end user of the exchange and their tenant, here, on the subscribing
	 * thread: the {@code XrefTenantResolver} runs where it would on this stack, and the
	 * rules decide later what a missing tenant means.
	 */
	private Mono<EndUser> currentEndUser() {
		return this.tenantContext.currentUser()
			.flatMap((user) -> read(this.tenantContext.tenantOf(user))
				.map((tenant) -> EndUser.authenticated(user.getName(), tenant)))
			.defaultIfEmpty(EndUser.anonymous());
	}

	/**
	 * Takes the pending request of the state out of the repository. The rules read it
	 * only for an authenticated end user (a pending request is bound to the end user who
	 * started it), so it is taken for no one else.
	 */
	private Mono<Supplier<@Nullable OAuth2AuthorizationRequest>> pendingRequest(EndUser endUser,
			ServerWebExchange exchange) {
		if (endUser.name() == null) {
			return Mono.just(() -> {
				throw new IllegalStateException("The pending request is not read for an anonymous end user");
			});
		}
		return read(Mono.defer(() -> this.authorizationRequestRepository.removeAuthorizationRequest(exchange)));
	}

	/**
	 * Reads a value ahead, for a rule that takes it as a {@link Supplier}: the supplier
	 * returns the value, {@code null} for none, or throws what reading it signalled.
	 */
	private static <T> Mono<Supplier<@Nullable T>> read(Mono<T> value) {
		return value.materialize().map((signal) -> () -> {
			Throwable failure = signal.getThrowable();
			if (failure != null) {
				throw (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
			}
			return signal.get();
		});
	}

	/**
	 * Completes the connect with its {@code xref.connect} observation as the current one,
	 * so that the token exchange is observed within it, as on the servlet stack.
	 */
	private @Nullable XrefConnectFailure handleCallbackWithin(@Nullable Observation connect, EndUser endUser,
			Supplier<@Nullable OAuth2AuthorizationRequest> pending, @Nullable String error, @Nullable String code) {
		if (connect == null) {
			return this.completion.handleCallback(endUser, pending, error, code);
		}
		try (Observation.Scope scope = connect.openScope()) {
			return this.completion.handleCallback(endUser, pending, error, code);
		}
	}

	private Mono<Void> redirect(ServerWebExchange exchange, String location) {
		return this.redirectStrategy.sendRedirect(exchange, URI.create(location));
	}

	/**
	 * Sets where the end user lands after a connect; the reason of a failure is appended
	 * as {@value XrefConnectFailure#PARAMETER}. Defaults to {@code /} for both.
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

}
