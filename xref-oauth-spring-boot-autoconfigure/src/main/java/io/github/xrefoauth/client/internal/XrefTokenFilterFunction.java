package io.github.xrefoauth.client.internal;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefRequestAttributes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Adds {@code Authorization: Token <token>} of an Xref account to each request of a
 * {@code WebClient}: the reactive counterpart of {@code XrefTokenInterceptor}, choosing
 * the token by the same rules. The account is the one named by
 * {@link XrefRequestAttributes} (as request attributes), else the one linked to the
 * tenant of the authenticated end user: from the reactive security context, or, in a
 * servlet application, from the {@code SecurityContextHolder} of the thread that
 * subscribes.
 * <p>
 * Tokens go only to the scheme, host and port of the Xref API: a request to any other
 * origin fails before it is sent. A {@code 401} answer means Xref revoked the token: the
 * account is forgotten, unless it was re-connected with a newer token meanwhile; then the
 * first response's body is released and the request is exchanged once more with the newer
 * token (not for a connection pinned by {@link XrefRequestAttributes#CONNECTION}), its
 * body written again by the request's inserter. Each exchange counts on its own against
 * {@code XrefConcurrencyLimitFilterFunction}'s bound, one after the other. The last
 * response is returned unchanged. Store calls never run on the subscribing thread.
 *
 * @since 0.1.0
 */
public final class XrefTokenFilterFunction implements ExchangeFilterFunction {

	private final XrefCallTokens tokens;

	private final ReactiveXrefTenantContext tenantContext;

	private final @Nullable XrefTenantContext servletTenantContext;

	private final XrefApiOrigin origin;

	private Scheduler scheduler = Schedulers.boundedElastic();

	/**
	 * Creates a filter function.
	 * @param accountStore the connected accounts, called on a scheduler for blocking work
	 * ({@link Schedulers#boundedElastic()} by default)
	 * @param tenantContext the tenant of the end user in the reactive security context
	 * @param servletTenantContext the tenant of the end user in the
	 * {@code SecurityContextHolder}, used when the reactive context has none; may be
	 * {@code null}
	 * @param apiUri the base URL of the Xref API, the only origin that gets tokens
	 */
	public XrefTokenFilterFunction(XrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
			@Nullable XrefTenantContext servletTenantContext, String apiUri) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.tokens = new XrefCallTokens(accountStore);
		this.tenantContext = tenantContext;
		this.servletTenantContext = servletTenantContext;
		this.origin = new XrefApiOrigin(apiUri);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!this.origin.matches(request.url())) {
			return Mono.error(this.origin.refuse("xrefWebClient", request.url()));
		}
		Map<String, Object> attributes = request.attributes();
		// The tenant resolver runs only for a call that acts for the caller's tenant.
		boolean withTenant = XrefCallTokens.actsForCallersTenant(attributes);
		return caller(threadCaller(withTenant), withTenant)
			.flatMap((caller) -> offload(() -> this.tokens.choose(attributes, caller))
				.flatMap((connection) -> exchange(request, next, connection, false, caller)));
	}

	/**
	 * Sets the publisher of {@code XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.tokens.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Sets the scheduler that the store is called on. Defaults to
	 * {@link Schedulers#boundedElastic()}.
	 * @param scheduler a scheduler whose threads may block
	 */
	public void setScheduler(Scheduler scheduler) {
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.scheduler = scheduler;
	}

	/**
	 * The end user of the subscribing thread's {@code SecurityContextHolder}, read now:
	 * in a servlet application this runs on the thread that subscribes.
	 */
	private XrefCallTokens.Caller threadCaller(boolean withTenant) {
		if (this.servletTenantContext == null) {
			return XrefCallTokens.Caller.NONE;
		}
		Optional<Authentication> user = this.servletTenantContext.currentUser();
		String tenantKey = withTenant ? user.flatMap(this.servletTenantContext::findTenant).orElse(null) : null;
		return XrefCallTokens.Caller.known(tenantKey, user.map(Principal::getName).orElse(null));
	}

	/**
	 * The end user of the reactive security context, else the one of the subscribing
	 * thread.
	 */
	private Mono<XrefCallTokens.Caller> caller(XrefCallTokens.Caller threadCaller, boolean withTenant) {
		return this.tenantContext.currentUser()
			.flatMap((user) -> (withTenant ? this.tenantContext.tenantOf(user) : Mono.<String>empty()).map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.map((tenantKey) -> XrefCallTokens.Caller.known(tenantKey.orElse(null), user.getName())))
			.defaultIfEmpty(threadCaller);
	}

	/**
	 * Exchanges the request with the connection's token and, if Xref rejects a token the
	 * store has replaced meanwhile, once more with the stored one.
	 */
	private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, XrefConnection connection,
			boolean resent, XrefCallTokens.Caller caller) {
		return next.exchange(withToken(request, connection)).flatMap((response) -> {
			if (!XrefCallTokens.isRejection(response.statusCode())) {
				return Mono.just(response);
			}
			return offload(
					() -> Optional.ofNullable(this.tokens.rejected(connection, resent, request.attributes(), caller)))
				.onErrorResume((ex) -> response.releaseBody().then(Mono.error(ex)))
				.flatMap((again) -> again.isEmpty() ? Mono.just(response) : response.releaseBody()
					.then(Mono.defer(() -> exchange(request, next, again.get(), true, caller))));
		});
	}

	private static ClientRequest withToken(ClientRequest request, XrefConnection connection) {
		return ClientRequest.from(request)
			.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, XrefCallTokens.authorization(connection)))
			.build();
	}

	private <T> Mono<T> offload(Callable<T> call) {
		return Mono.fromCallable(call).subscribeOn(this.scheduler);
	}

}
