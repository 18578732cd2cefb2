package io.github.xrefoauth.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The platform forgot an Xref account without revoking its token at Xref (a local
 * removal). The token may still be valid at Xref until the account is deauthorized.
 *
 * @param tenantKey the tenant the account was forgotten for, if known
 * @param xrefAccountId the Xref account
 * @param endUser the end user who asked for it, if any
 * @param time when the store forgot the account
 * @since 0.1.0
 */
public record XrefForgottenEvent(@Nullable String tenantKey, String xrefAccountId, @Nullable String endUser,
		Instant time) implements XrefConnectionEvent {

}
