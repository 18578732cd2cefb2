package io.github.xrefoauth.client;

import java.time.Instant;
import java.util.Optional;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefForgottenEvent;
import io.github.xrefoauth.internal.XrefRejections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * What the connection services do around their calls to Xref: which connection an end
 * user acts on, and what follows a verify, a disconnect and a forget. The rules of
 * {@link XrefConnectionService} and {@link ReactiveXrefConnectionService}, which only
 * call Xref, judge its answer with {@code XrefApiAnswer} and, for WebFlux, choose the
 * threads.
 * <p>
 * Each method calls the store, which may block.
 */
final class XrefConnectionRules {

	private static final Log logger = LogFactory.getLog(XrefConnectionRules.class);

	private final XrefAccountStore accountStore;

	private final XrefRejections rejections;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	XrefConnectionRules(XrefAccountStore accountStore) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		this.accountStore = accountStore;
		this.rejections = new XrefRejections(accountStore);
	}

	void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
		this.rejections.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Returns the connection of the end user's tenant.
	 * @param endUser the authenticated end user and their tenant, if any
	 * @return the connection, or empty if there is no end user or no connection
	 */
	Optional<XrefConnection> current(Optional<EndUser> endUser) {
		return endUser.flatMap((user) -> this.accountStore.findByTenant(user.tenantKey()));
	}

	/**
	 * Returns the status of the end user's tenant's connection.
	 * @param endUser the authenticated end user and their tenant, if any
	 * @return the status; not connected if there is no end user
	 */
	XrefConnectionStatus status(Optional<EndUser> endUser) {
		return endUser.map((user) -> this.accountStore.status(user.tenantKey()))
			.orElseGet(XrefConnectionStatus::notConnected);
	}

	/**
	 * Returns the connection that verify acts on.
	 * @param endUser the authenticated end user and their tenant, if any
	 * @return the connection with its end user
	 * @throws XrefNotConnectedException if there is no end user or no connection; an
	 * {@link XrefReconnectNeededException} if Xref rejected the token of the tenant's
	 * account
	 */
	Connected requireCurrent(Optional<EndUser> endUser) {
		EndUser user = endUser.orElseThrow(XrefConnectionRules::noEndUser);
		return this.accountStore.findByTenant(user.tenantKey())
			.map((connection) -> new Connected(user, connection))
			.orElseThrow(() -> XrefRejections.notConnected(this.accountStore, user.tenantKey()));
	}

	/**
	 * Returns the connection that disconnect and forget act on. A connection that needs a
	 * reconnect holds no token to revoke: its record is removed instead, for every tenant
	 * linked to its account, and an {@link XrefDisconnectedEvent} published.
	 * @param endUser the authenticated end user and their tenant, if any
	 * @return the connection with its end user, or empty if the tenant's connection
	 * needed a reconnect and nothing is left to do
	 * @throws XrefNotConnectedException if there is no end user or no connection
	 */
	Optional<Connected> currentOrRemoveRejected(Optional<EndUser> endUser) {
		EndUser user = endUser.orElseThrow(XrefConnectionRules::noEndUser);
		Optional<XrefConnection> connection = this.accountStore.findByTenant(user.tenantKey());
		if (connection.isPresent()) {
			return Optional.of(new Connected(user, connection.get()));
		}
		XrefNotConnectedException notConnected = XrefRejections.notConnected(this.accountStore, user.tenantKey());
		if (!(notConnected instanceof XrefReconnectNeededException reconnectNeeded)) {
			throw notConnected;
		}
		String xrefAccountId = reconnectNeeded.getStatus().xrefAccountId();
		if (xrefAccountId != null) {
			removeRejected(user, xrefAccountId);
		}
		return Optional.empty();
	}

	private static XrefNotConnectedException noEndUser() {
		return new XrefNotConnectedException("No Xref account is connected");
	}

	/**
	 * What follows Xref's answer to {@code POST /auth}: a token that Xref rejected is
	 * rejected in the store ({@link XrefAccountStore#reject}, by
	 * {@link XrefConnectionStatus.RejectedBy#VERIFY}) with one
	 * {@link io.github.xrefoauth.event.XrefRevokedEvent}, unless the token interceptor
	 * did so already; the tenant stays connected if it was connected anew with another
	 * token meanwhile.
	 * @param connected the connection whose token was verified
	 * @param accepted whether Xref accepted the token; {@code false} on a {@code 401}
	 * @return what the verification found
	 */
	XrefVerification verified(Connected connected, boolean accepted) {
		if (accepted) {
			return XrefVerification.ACCEPTED;
		}
		String token = connected.connection().accessToken();
		this.rejections.reject(connected.connection(), XrefConnectionStatus.RejectedBy.VERIFY,
				connected.endUser().tenantKey(), connected.endUser().name());
		boolean replaced = this.accountStore.findByTenant(connected.endUser().tenantKey())
			.filter((now) -> !now.accessToken().equals(token))
			.isPresent();
		return replaced ? XrefVerification.REPLACED : XrefVerification.FORGOTTEN;
	}

	/**
	 * What follows Xref's confirmation of {@code POST /oauth/deauthorize}, or its
	 * {@code 401}: the token that was sent is forgotten (after a {@code 401}, the record
	 * that the rejection kept is removed) and, if the store still held it, an
	 * {@link XrefDisconnectedEvent} published. A newer token, stored meanwhile by another
	 * member of the tenant, stays.
	 * @param connected the connection whose token was sent
	 */
	void disconnected(Connected connected) {
		XrefConnection connection = connected.connection();
		if (this.accountStore.deleteByAccessToken(connection.accessToken())) {
			publishDisconnected(connected.endUser(), connection.xrefAccountId());
		}
		else {
			// Xref answered 401 and the token interceptor kept the account as needing a
			// reconnect: the end user asked to disconnect, not to reconnect.
			removeRejected(connected.endUser(), connection.xrefAccountId());
		}
	}

	/**
	 * Removes the record of an account that needs a reconnect, unless a reconnect stored
	 * a token meanwhile, and publishes an {@link XrefDisconnectedEvent} if it did.
	 */
	private void removeRejected(EndUser endUser, String xrefAccountId) {
		if (this.accountStore.deleteRejected(xrefAccountId)) {
			publishDisconnected(endUser, xrefAccountId);
		}
	}

	private void publishDisconnected(EndUser endUser, String xrefAccountId) {
		this.eventPublisher
			.publishEvent(new XrefDisconnectedEvent(endUser.tenantKey(), xrefAccountId, endUser.name(), Instant.now()));
	}

	/**
	 * Forgets the token without calling Xref and, if the store held it, warns and
	 * publishes an {@link XrefForgottenEvent}.
	 * @param connected the connection to forget
	 */
	void forget(Connected connected) {
		XrefConnection connection = connected.connection();
		if (this.accountStore.deleteByAccessToken(connection.accessToken())) {
			logger.warn("Forgot Xref account " + connection.xrefAccountId()
					+ " without revoking its token at Xref; the token may still be valid there");
			this.eventPublisher.publishEvent(new XrefForgottenEvent(connected.endUser().tenantKey(),
					connection.xrefAccountId(), connected.endUser().name(), Instant.now()));
		}
	}

	/**
	 * An authenticated end user with a tenant.
	 *
	 * @param name the end user's name
	 * @param tenantKey their tenant
	 */
	record EndUser(String name, String tenantKey) {

	}

	/**
	 * The connection of an end user's tenant.
	 *
	 * @param endUser the end user who acts on it
	 * @param connection the connection
	 */
	record Connected(EndUser endUser, XrefConnection connection) {

	}

}
