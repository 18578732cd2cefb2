package io.github.xrefoauth.event;

import java.time.Instant;
import java.util.List;

import io.github.xrefoauth.account.XrefConnectionStatus;

import org.jspecify.annotations.Nullable;

/**
 * Xref answered {@code 401} to a call with a stored token: the token was revoked at
 * Xref's side and the store rejected it; every tenant linked to the account needs a
 * reconnect.
 *
 * @param tenantKey the tenant the call was made for, else one linked to the account, if
 * any
 * @param xrefAccountId the Xref account
 * @param endUser the end user whose request made the call, if any
 * @param time when the store rejected the account's token
 * @param tenantKeys every tenant linked to the account, whose connection broke
 * @param rejectedBy which call found that Xref rejected the token
 * @since 0.1.0
 */
public record XrefRevokedEvent(@Nullable String tenantKey, String xrefAccountId, @Nullable String endUser, Instant time,
		List<String> tenantKeys, XrefConnectionStatus.RejectedBy rejectedBy) implements XrefConnectionEvent {

	public XrefRevokedEvent {
		tenantKeys = List.copyOf(tenantKeys);
	}

}
