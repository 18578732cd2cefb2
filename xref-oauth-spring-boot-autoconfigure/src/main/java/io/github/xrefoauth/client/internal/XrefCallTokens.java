package io.github.xrefoauth.client.internal;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.internal.XrefRejections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.Assert;

/**
 * Chooses the token of a call to the Xref API and forgets it when Xref rejects it: the
 * rules of {@link XrefTokenInterceptor} and {@link XrefTokenFilterFunction}, which only
 * read the request, set the header and, for WebFlux, choose the threads.
 * <p>
 * The token is the one of the connection pinned by
 * {@link XrefRequestAttributes#CONNECTION}, never looked up again; else the account is
 * the one named by {@link XrefRequestAttributes#ACCOUNT}, else the one linked to the
 * tenant named by {@link XrefRequestAttributes#TENANT}, else the one linked to the
 * caller's tenant. A tenant without connection whose account's token Xref rejected is
 * told apart by an {@link io.github.xrefoauth.account.XrefReconnectNeededException}. A
 * {@code 401} answer rejects exactly the token that was sent
 * ({@link XrefAccountStore#reject}; a newer token of the account stays) and publishes one
 * {@link XrefRevokedEvent} naming every tenant linked to the account, found by
 * {@link XrefRejections#rejectedBy the call}. If the store no longer holds the rejected
 * token (another instance or end user connected the account anew meanwhile), the call is
 * sent once more with the token the store holds now, looked up as the first one was;
 * never for a pinned connection, and at most once: a {@code 401} to the second sending is
 * handled as any other.
 * <p>
 * {@link #choose} and {@link #rejected} call the store, which may block.
 */
final class XrefCallTokens {

	private static final Log logger = LogFactory.getLog(XrefCallTokens.class);

	private final XrefAccountStore accountStore;

	private final XrefRejections rejections;

	XrefCallTokens(XrefAccountStore accountStore) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		this.accountStore = accountStore;
		this.rejections = new XrefRejections(accountStore);
	}

	void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.rejections.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Returns the connection whose token the call carries.
	 * @param attributes the request's attributes
	 * @param caller the end user the call acts for unless the attributes name an account
	 * or a tenant
	 * @return the connection
	 * @throws XrefNotConnectedException if there is no such connection; nothing may be
	 * sent. An {@link io.github.xrefoauth.account.XrefReconnectNeededException} if the
	 * call acts for a tenant whose account's token Xref rejected
	 */
	XrefConnection choose(Map<String, Object> attributes, Caller caller) {
		if (attributes.get(XrefRequestAttributes.CONNECTION) instanceof XrefConnection pinned) {
			return pinned;
		}
		if (attributes.get(XrefRequestAttributes.ACCOUNT) instanceof String accountId) {
			return this.accountStore.findByAccount(accountId)
				.orElseThrow(() -> new XrefNotConnectedException("Xref account " + accountId + " is not connected"));
		}
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			return findByTenant(tenantKey);
		}
		String tenantKey = caller.tenant()
			.orElseThrow(() -> new XrefNotConnectedException(
					"No authenticated end user and no account named with XrefRequestAttributes"));
		return findByTenant(tenantKey);
	}

	/**
	 * Whether a call acts for its caller's tenant, which then has to be known: the call
	 * names neither an account nor a tenant.
	 * @param attributes the request's attributes
	 * @return {@code true} if the caller's tenant chooses the token, or names the tenant
	 * of a rejected token's event
	 */
	static boolean actsForCallersTenant(Map<String, Object> attributes) {
		return !(attributes.get(XrefRequestAttributes.ACCOUNT) instanceof String)
				&& !(attributes.get(XrefRequestAttributes.TENANT) instanceof String);
	}

	/**
	 * Returns the {@code Authorization} header of a call with the connection's token.
	 * @param connection the connection chosen for the call
	 * @return the header's value
	 */
	static String authorization(XrefConnection connection) {
		return "Token " + connection.accessToken();
	}

	/**
	 * Whether Xref's answer says that it revoked the token that was sent.
	 * @param status the answer's status
	 * @return {@code true} for {@code 401}
	 */
	static boolean isRejection(HttpStatusCode status) {
		return status.isSameCodeAs(HttpStatus.UNAUTHORIZED);
	}

	/**
	 * Handles Xref's {@code 401} to a call. Forgets the token that was sent and publishes
	 * an {@link XrefRevokedEvent}; or, if the store no longer holds that token, returns
	 * the connection to send the call once more with: the one the call's attributes or
	 * caller lead to now, if its token differs, unless the call pinned its connection or
	 * was sent once more already. The store forgets the token before it is asked again,
	 * so no cache answers with the rejected token.
	 * @param sent the connection whose token was sent
	 * @param resent whether this was the call's second sending
	 * @param attributes the request's attributes
	 * @param caller the end user the call acted for
	 * @return the connection to send the call once more with, or {@code null}: the
	 * {@code 401} is the answer
	 */
	@Nullable XrefConnection rejected(XrefConnection sent, boolean resent, Map<String, Object> attributes, Caller caller) {
		if (this.rejections.reject(sent, XrefRejections.rejectedBy(attributes), tenantOf(attributes, caller),
				caller.endUser().orElse(null))) {
			return null;
		}
		if (resent || attributes.get(XrefRequestAttributes.CONNECTION) instanceof XrefConnection) {
			return null;
		}
		XrefConnection current;
		try {
			current = choose(attributes, caller);
		}
		catch (XrefNotConnectedException ex) {
			return null;
		}
		if (current.accessToken().equals(sent.accessToken())) {
			return null;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Xref rejected a replaced token of account " + sent.xrefAccountId()
					+ "; the call is sent once more with the token of account " + current.xrefAccountId());
		}
		return current;
	}

	/**
	 * The tenant a call was made for: the one named in the request, none for a named
	 * account (the event then names a tenant linked to it), else the caller's.
	 */
	private static @Nullable String tenantOf(Map<String, Object> attributes, Caller caller) {
		if (attributes.get(XrefRequestAttributes.TENANT) instanceof String tenantKey) {
			return tenantKey;
		}
		return actsForCallersTenant(attributes) ? caller.tenant().orElse(null) : null;
	}

	/**
	 * The tenant's connection; only when there is none is its status read, to tell a
	 * tenant that needs a reconnect from one that never connected.
	 */
	private XrefConnection findByTenant(String tenantKey) {
		return this.accountStore.findByTenant(tenantKey)
			.orElseThrow(() -> XrefRejections.notConnected(this.accountStore, tenantKey));
	}

	/**
	 * The end user a call acts for, and their tenant.
	 */
	interface Caller {

		/** Nobody: a call outside an end user's request. */
		Caller NONE = known(null, null);

		/**
		 * Returns the end user's tenant key.
		 * @return the tenant key, or empty without an end user or without a tenant key
		 */
		Optional<String> tenant();

		/**
		 * Returns the end user's name.
		 * @return the name, or empty without an authenticated end user
		 */
		Optional<String> endUser();

		/**
		 * Returns the end user of the current thread's security context, read when asked.
		 * @param tenantContext the current end user's tenant
		 * @return the caller
		 */
		static Caller current(XrefTenantContext tenantContext) {
			return new Caller() {

				@Override
				public Optional<String> tenant() {
					return tenantContext.currentTenant();
				}

				@Override
				public Optional<String> endUser() {
					return tenantContext.currentUser().map(Principal::getName);
				}

			};
		}

		/**
		 * Returns an end user read beforehand.
		 * @param tenantKey the tenant key, if any
		 * @param endUser the end user's name, if any
		 * @return the caller
		 */
		static Caller known(@Nullable String tenantKey, @Nullable String endUser) {
			Optional<String> tenant = Optional.ofNullable(tenantKey);
			Optional<String> name = Optional.ofNullable(endUser);
			return new Caller() {

				@Override
				public Optional<String> tenant() {
					return tenant;
				}

				@Override
				public Optional<String> endUser() {
					return name;
				}

			};
		}

	}

}
