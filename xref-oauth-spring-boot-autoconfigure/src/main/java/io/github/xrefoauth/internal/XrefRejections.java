package io.github.xrefoauth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import io.github.xrefoauth.event.XrefRevokedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * What follows Xref's {@code 401} to a call with a stored token, whichever call found it:
 * the store rejects exactly that token ({@link XrefAccountStore#reject}) and, if it held
 * it, one {@link XrefRevokedEvent} names every tenant linked to the account. Shared by
 * the token interceptor, the token filter function and the connection services, so that
 * one rejection is published once.
 *
 * @since 0.1.0
 */
public final class XrefRejections {

	/**
	 * Request attribute holding the {@link RejectedBy} of a call, for a call made by the
	 * starter that is no plain API call ({@code verify()}).
	 */
	public static final String REJECTED_BY = XrefRejections.class.getName() + ".REJECTED_BY";

	private static final Log logger = LogFactory.getLog(XrefRejections.class);

	private final XrefAccountStore accountStore;

	private final Clock clock;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	/**
	 * Creates the rejections of a store.
	 * @param accountStore the connected accounts
	 */
	public XrefRejections(XrefAccountStore accountStore) {
		this(accountStore, Clock.systemUTC());
	}

	XrefRejections(XrefAccountStore accountStore, Clock clock) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		this.accountStore = accountStore;
		this.clock = clock;
	}

	/**
	 * Sets the publisher of {@link XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Returns which call a request is, by its attributes.
	 * @param attributes the request's attributes
	 * @return the {@link #REJECTED_BY} attribute, else {@link RejectedBy#API_CALL}
	 */
	public static RejectedBy rejectedBy(Map<String, Object> attributes) {
		return (attributes.get(REJECTED_BY) instanceof RejectedBy rejectedBy) ? rejectedBy : RejectedBy.API_CALL;
	}

	/**
	 * Rejects the token that Xref answered {@code 401} to and, if the store held it,
	 * publishes an {@link XrefRevokedEvent} naming every tenant linked to the account
	 * (read after the rejection: the record keeps its links).
	 * @param sent the connection whose token was sent
	 * @param rejectedBy which call found it
	 * @param tenantKey the tenant the call was made for, if known; else the event names
	 * the first linked tenant
	 * @param endUser the end user whose request made the call, if any
	 * @return whether the store held exactly this token
	 */
	public boolean reject(XrefConnection sent, RejectedBy rejectedBy, @Nullable String tenantKey,
			@Nullable String endUser) {
		Instant now = this.clock.instant();
		if (!this.accountStore.reject(sent, now, rejectedBy)) {
			return false;
		}
		String account = sent.xrefAccountId();
		logger.info("Xref rejected the token of account " + account + " (" + rejectedBy
				+ "); the account needs a reconnect");
		List<String> tenants = tenantsOf(account, tenantKey);
		String tenant = (tenantKey != null) ? tenantKey : (tenants.isEmpty() ? null : tenants.get(0));
		this.eventPublisher.publishEvent(new XrefRevokedEvent(tenant, account, endUser, now, tenants, rejectedBy));
		return true;
	}

	/**
	 * The tenants linked to the account, the caller's among them; only the caller's if
	 * the store cannot be read: the rejection happened all the same.
	 */
	private List<String> tenantsOf(String account, @Nullable String tenantKey) {
		List<String> tenants;
		try {
			tenants = this.accountStore.findTenants(account);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the tenants of Xref account " + account + ": " + ex.getClass().getSimpleName());
			tenants = List.of();
		}
		if (tenantKey == null || tenants.contains(tenantKey)) {
			return tenants;
		}
		return Stream.concat(Stream.of(tenantKey), tenants.stream()).toList();
	}

	/**
	 * Returns the exception for a tenant without connection: an
	 * {@link XrefReconnectNeededException} if Xref rejected its account's token.
	 * @param accountStore the store to read the tenant's status from
	 * @param tenantKey the tenant
	 * @return the exception to throw
	 */
	public static XrefNotConnectedException notConnected(XrefAccountStore accountStore, String tenantKey) {
		XrefConnectionStatus status = accountStore.status(tenantKey);
		if (status.state() == XrefConnectionStatus.State.RECONNECT_NEEDED) {
			return new XrefReconnectNeededException(
					"Tenant " + tenantKey + " needs to reconnect its Xref account: Xref rejected its token", status);
		}
		return new XrefNotConnectedException("Tenant " + tenantKey + " has no connected Xref account");
	}

}
