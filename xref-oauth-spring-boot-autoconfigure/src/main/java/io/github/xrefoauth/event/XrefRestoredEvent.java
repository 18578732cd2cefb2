package io.github.xrefoauth.event;

import java.time.Instant;
import java.util.List;

/**
 * A connect stored a new token for an Xref account whose token Xref had rejected: the
 * connection of every tenant linked to the account works again. Published after the
 * {@link XrefConnectedEvent} of the same connect.
 *
 * @param tenantKey the tenant of the end user who reconnected
 * @param xrefAccountId the Xref account
 * @param endUser the end user who reconnected
 * @param time when the new token was stored
 * @param tenantKeys every tenant linked to the account
 * @since 0.1.0
 */
public record XrefRestoredEvent(String tenantKey, String xrefAccountId, String endUser, Instant time,
		List<String> tenantKeys) implements XrefConnectionEvent {

	public XrefRestoredEvent {
		tenantKeys = List.copyOf(tenantKeys);
	}

}
