package io.github.xrefoauth.event;

import java.time.Instant;

/**
 * An end user connected their tenant's Xref account; the token is stored.
 *
 * @param tenantKey the tenant linked to the account
 * @param xrefAccountId the Xref account
 * @param endUser the end user who connected it
 * @param time when the connection was stored
 * @since 0.1.0
 */
public record XrefConnectedEvent(String tenantKey, String xrefAccountId, String endUser,
		Instant time) implements XrefConnectionEvent {

}
