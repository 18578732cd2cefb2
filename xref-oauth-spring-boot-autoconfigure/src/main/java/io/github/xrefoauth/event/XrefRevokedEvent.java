package io.github.xrefoauth.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Xref answered {@code 401} to a call with a stored token: the token was revoked at
 * Xref's side and the store forgot the account for every tenant linked to it.
 *
 * @param tenantKey the tenant the call was made for, if known
 * @param xrefAccountId the Xref account
 * @param endUser the end user whose request made the call, if any
 * @param time when the store forgot the account
 * @since 0.1.0
 */
public record XrefRevokedEvent(@Nullable String tenantKey, String xrefAccountId, @Nullable String endUser,
		Instant time) implements XrefConnectionEvent {

}
