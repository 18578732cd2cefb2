package io.github.xrefoauth.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Something that happened to the Xref connection of a tenant. Published as an application
 * event once the account store has committed the change; none of them carries a token.
 *
 * @since 0.1.0
 */
public sealed interface XrefConnectionEvent permits XrefConnectedEvent, XrefDisconnectedEvent, XrefForgottenEvent,
		XrefRevokedEvent, XrefRestoredEvent, XrefConnectFailedEvent {

	/**
	 * Returns the tenant whose connection changed.
	 * @return the tenant key, or {@code null} where no tenant is known (a call made for a
	 * named account outside a request, or a connect that failed before the tenant was
	 * known)
	 */
	@Nullable String tenantKey();

	/**
	 * Returns the Xref account.
	 * @return the account id, or {@code null} for a connect that failed before Xref named
	 * one
	 */
	@Nullable String xrefAccountId();

	/**
	 * Returns the end user who acted.
	 * @return the end user's name, or {@code null} outside a request of an authenticated
	 * end user
	 */
	@Nullable String endUser();

	/**
	 * Returns when it happened.
	 * @return the time
	 */
	Instant time();

}
