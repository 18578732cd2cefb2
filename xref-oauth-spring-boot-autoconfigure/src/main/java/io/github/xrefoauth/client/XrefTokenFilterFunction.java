package io.github.xrefoauth.client;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.github.xrefoauth.account.ReactiveXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.event.XrefRevokedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Adds {@code Authorization: Token <token>} of an Xref account to each request of a
 * {@code WebClient}: the reactive counterpart of {@code XrefTokenInterceptor}. The
 * account is the one named by {@link XrefRequestAttributes} (as request attributes), else
 * the one linked to the tenant of the authenticated end user: from the reactive security
 * context, or, in a servlet application, from the {@code SecurityContextHolder} of the
 * thread that subscribes.
 * <p>
 * Tokens go only to the scheme, host and port of the Xref API: a request to any other
 * origin fails before it is sent. A {@code 401} answer means Xref revoked the token: the
 * account is forgotten, unless it was re-connected with a newer token meanwhile. The
 * response is returned unchanged. Store calls never run on the subscribing thread.
 */
public final class XrefTokenFilterFunction implements ExchangeFilterFunction {

	private static final Log logger = LogFactory.getLog(XrefTokenFilterFunction.class);

	private final ReactiveXrefAccountStore accountStore;

	private final ReactiveXrefTenantContext tenantContext;

	private final @Nullable XrefTenantContext servletTenantContext;

	private final XrefApiOrigin origin;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	/**
	 * Creates a filter function.
	 * @param accountStore the connected accounts
	 * @param tenantContext the tenant of the end user in the reactive security context
	 * @param servletTenantContext the tenant of the end user in the
	 * {@code SecurityContextHolder}, used when the reactive context has none; may be
	 * {@code null}
	 * @param apiUri the base URL of the Xref API, the only origin that gets tokens
	 */
	public XrefTokenFilterFunction(ReactiveXrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
			@Nullable XrefTenantContext servletTenantContext, String apiUri) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
		this.servletTenantContext = servletTenantContext;
		this.origin = new XrefApiOrigin(apiUri);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!this.origin.matches(request.url())) {
			return Mono.error(this.origin.refuse("xrefWebClient", request.url()));
		}
		// Read now: in a servlet application this runs on the thread that subscribes.
		Optional<String> threadTenant = (this.servletTenantContext != null) ? this.servletTenantContext.currentTenant()
				: Optional.empty();
		return resolveConnection(request.attributes(), threadTenant).flatMap(
				(connection) -> next
					.exchange(ClientRequest.from(request)
						.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION,
								"Token " + connection.accessToken()))
						.build())
					.flatMap((response) -> forgetIfRejected(response, connection, request.attributes(), threadTenant)));
	}

	/**
	 * Sets the publisher of {@code XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	private Mono<ClientResponse> forgetIfRejected(ClientResponse response, XrefConnection connection,
			Map<String, Object> attributes, Optional<String> threadTenant) {
		if (!response.statusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
			return Mono.just(response);
		}
		return this.accountStore.deleteByAccessToken(connection.accessToken())
			.filter(Boolean::booleanValue)
			.flatMap((deleted) -> {
				logger.info("Xref rejected the token of account " + connection.xrefAccountId()
						+ "; the connection was removed");
				return revoked(connection, attributes, threadTenant);
			})
			.doOnNext(this.eventPublisher::publishEvent)
			.thenReturn(response);
	}

	/**
	 * The event of a token that Xref rejected, for the tenant named in the request or the
	 * current end user's tenant, as {@code XrefTokenInterceptor} publishes it.
	 */
	private Mono<XrefRevokedEvent> revoked(XrefConnection connection, Map<String, Object> attributes,
			Optional<String> threadTenant) {
		Mono<Optional<String>> tenant;
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			tenant = Mono.just(Optional.of(tenantKey));
		}
		else if (attributes.get(XrefRequestAttributes.ACCOUNT) != null) {
			tenant = Mono.just(Optional.empty());
		}
		else {
			tenant = this.tenantContext.currentTenant()
				.switchIfEmpty(Mono.justOrEmpty(threadTenant))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty());
		}
		Mono<Optional<String>> endUser = this.tenantContext.currentUser()
			.map((user) -> Optional.of(user.getName()))
			.defaultIfEmpty(Optional.empty());
		return Mono.zip(tenant, endUser)
			.map((names) -> new XrefRevokedEvent(names.getT1().orElse(null), connection.xrefAccountId(),
					names.getT2().orElse(null), Instant.now()));
	}

	private Mono<XrefConnection> resolveConnection(Map<String, Object> attributes, Optional<String> threadTenant) {
		if (attributes.get(XrefRequestAttributes.ACCOUNT) instanceof String accountId) {
			return this.accountStore.findByAccount(accountId)
				.switchIfEmpty(Mono
					.error(() -> new XrefNotConnectedException("Xref account " + accountId + " is not connected")));
		}
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			return findByTenant(tenantKey);
		}
		return this.tenantContext.currentTenant()
			.switchIfEmpty(Mono.justOrEmpty(threadTenant))
			.switchIfEmpty(Mono.error(() -> new XrefNotConnectedException(
					"No authenticated end user and no account named with XrefRequestAttributes")))
			.flatMap(this::findByTenant);
	}

	private Mono<XrefConnection> findByTenant(String tenantKey) {
		return this.accountStore.findByTenant(tenantKey)
			.switchIfEmpty(Mono
				.error(() -> new XrefNotConnectedException("Tenant " + tenantKey + " has no connected Xref account")));
	}

}
