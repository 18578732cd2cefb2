package io.github.xrefoauth.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A connect failed; nothing was stored.
 *
 * @param reason why, the code that the end user's failure URL carries
 * @param tenantKey the end user's tenant, if known
 * @param endUser the end user, if authenticated
 * @param time when it failed
 * @since 0.1.0
 */
public record XrefConnectFailedEvent(XrefConnectFailure reason, @Nullable String tenantKey, @Nullable String endUser,
		Instant time) implements XrefConnectionEvent {

	/**
	 * Returns {@code null}: a failed connect has no account.
	 * @return {@code null}
	 */
	@Override
	public @Nullable String xrefAccountId() {
		return null;
	}

}
