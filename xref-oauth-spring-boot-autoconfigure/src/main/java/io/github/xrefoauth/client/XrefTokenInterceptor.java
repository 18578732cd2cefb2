package io.github.xrefoauth.client;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.event.XrefRevokedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * Adds {@code Authorization: Token <token>} of an Xref account to each request. The
 * account is the one named by {@link XrefRequestAttributes}, else the one linked to the
 * authenticated end user's tenant.
 * <p>
 * Tokens go only to the scheme, host and port of the Xref API: a request to any other
 * origin fails before it is sent.
 * <p>
 * A {@code 401} answer means Xref revoked the token: the account is forgotten, unless it
 * was re-connected with a newer token meanwhile. The response is returned unchanged.
 */
public final class XrefTokenInterceptor implements ClientHttpRequestInterceptor {

	private static final Log logger = LogFactory.getLog(XrefTokenInterceptor.class);

	private final XrefAccountStore accountStore;

	private final XrefTenantContext tenantContext;

	private final XrefApiOrigin origin;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	/**
	 * Creates an interceptor that reads tokens from the given store.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param apiUri the base URL of the Xref API, the only origin that gets tokens
	 */
	public XrefTokenInterceptor(XrefAccountStore accountStore, XrefTenantContext tenantContext, String apiUri) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.hasText(apiUri, "apiUri cannot be empty");
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
		this.origin = new XrefApiOrigin(apiUri);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		if (!this.origin.matches(request.getURI())) {
			throw this.origin.refuse("xrefRestClient", request.getURI());
		}
		XrefConnection connection = resolveConnection(request.getAttributes());
		request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Token " + connection.accessToken());
		ClientHttpResponse response = execution.execute(request, body);
		if (response.getStatusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)
				&& this.accountStore.deleteByAccessToken(connection.accessToken())) {
			logger.info("Xref rejected the token of account " + connection.xrefAccountId()
					+ "; the connection was removed");
			this.eventPublisher
				.publishEvent(new XrefRevokedEvent(tenantOf(request.getAttributes()), connection.xrefAccountId(),
						this.tenantContext.currentUser().map((user) -> user.getName()).orElse(null), Instant.now()));
		}
		return response;
	}

	/**
	 * Sets the publisher of {@code XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	private @Nullable String tenantOf(Map<String, Object> attributes) {
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			return tenantKey;
		}
		return (attributes.get(XrefRequestAttributes.ACCOUNT) != null) ? null
				: this.tenantContext.currentTenant().orElse(null);
	}

	private XrefConnection resolveConnection(Map<String, Object> attributes) {
		if (attributes.get(XrefRequestAttributes.ACCOUNT) instanceof String accountId) {
			return this.accountStore.findByAccount(accountId)
				.orElseThrow(() -> new XrefNotConnectedException("Xref account " + accountId + " is not connected"));
		}
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			return findByTenant(tenantKey);
		}
		String tenantKey = this.tenantContext.currentTenant()
			.orElseThrow(() -> new XrefNotConnectedException(
					"No authenticated end user and no account named with XrefRequestAttributes"));
		return findByTenant(tenantKey);
	}

	private XrefConnection findByTenant(String tenantKey) {
		return this.accountStore.findByTenant(tenantKey)
			.orElseThrow(() -> new XrefNotConnectedException("Tenant " + tenantKey + " has no connected Xref account"));
	}

}
