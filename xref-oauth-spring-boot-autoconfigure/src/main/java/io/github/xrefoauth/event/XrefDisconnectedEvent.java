package io.github.xrefoauth.event;

import java.time.Instant;

/**
 * An end user disconnected their tenant's Xref account: Xref revoked the token (or had
 * already) and the store forgot the account for every tenant linked to it.
 *
 * @param tenantKey the tenant of the end user who disconnected
 * @param xrefAccountId the Xref account
 * @param endUser the end user who disconnected it
 * @param time when the store forgot the account
 * @since 0.1.0
 */
public record XrefDisconnectedEvent(String tenantKey, String xrefAccountId, String endUser,
		Instant time) implements XrefConnectionEvent {

}
