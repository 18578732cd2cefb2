package io.github.xrefoauth.account;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The state of a tenant's Xref connection, for pages that say "connected", "reconnect" or
 * "connect". Never carries a token.
 *
 * @param state the state
 * @param xrefAccountId the Xref account, {@code null} when not connected
 * @param connectedAt when the account was connected, {@code null} when not connected
 * @param connectedBy who connected the account, {@code null} when not connected
 * @param rejectedAt when Xref rejected the token, only for {@link State#RECONNECT_NEEDED}
 * @param rejectedBy which call found the rejection, only for
 * {@link State#RECONNECT_NEEDED}
 * @since 0.1.0
 */
public record XrefConnectionStatus(State state, @Nullable String xrefAccountId, @Nullable Instant connectedAt,
		@Nullable String connectedBy, @Nullable Instant rejectedAt, @Nullable RejectedBy rejectedBy) {

	private static final XrefConnectionStatus NOT_CONNECTED = new XrefConnectionStatus(State.NOT_CONNECTED, null, null,
			null, null, null);

	public XrefConnectionStatus {
		Assert.notNull(state, "state cannot be null");
		Assert.isTrue((state == State.NOT_CONNECTED) == (xrefAccountId == null),
				"xrefAccountId must be given exactly when connected or rejected");
		Assert.isTrue((state == State.RECONNECT_NEEDED) == (rejectedAt != null && rejectedBy != null),
				"rejectedAt and rejectedBy must be given exactly when a reconnect is needed");
	}

	/**
	 * Returns the status of a connected tenant.
	 * @param connection the tenant's connection
	 * @return the status
	 */
	public static XrefConnectionStatus connected(XrefConnection connection) {
		return new XrefConnectionStatus(State.CONNECTED, connection.xrefAccountId(), connection.connectedAt(),
				connection.connectedBy(), null, null);
	}

	/**
	 * Returns the status of a tenant whose token Xref rejected.
	 * @param xrefAccountId the Xref account
	 * @param connectedAt when the account was connected
	 * @param connectedBy who connected it
	 * @param rejectedAt when Xref rejected the token
	 * @param rejectedBy which call found it
	 * @return the status
	 */
	public static XrefConnectionStatus reconnectNeeded(String xrefAccountId, Instant connectedAt, String connectedBy,
			Instant rejectedAt, RejectedBy rejectedBy) {
		return new XrefConnectionStatus(State.RECONNECT_NEEDED, xrefAccountId, connectedAt, connectedBy, rejectedAt,
				rejectedBy);
	}

	/**
	 * Returns the status of a tenant that has no connection and no rejected one.
	 * @return the status
	 */
	public static XrefConnectionStatus notConnected() {
		return NOT_CONNECTED;
	}

	/**
	 * The state of a tenant's connection.
	 */
	public enum State {

		/** The tenant's account holds a token that Xref has not rejected. */
		CONNECTED,

		/**
		 * Xref rejected the account's token ({@code 401}); the record is kept without the
		 * token until a reconnect, a disconnect or a forget.
		 */
		RECONNECT_NEEDED,

		/** The tenant has never connected, or its connection was removed. */
		NOT_CONNECTED

	}

	/**
	 * The call that found Xref's rejection of a token.
	 */
	public enum RejectedBy {

		/** A call of the application through the Xref clients. */
		API_CALL,

		/** {@code verify()} of a connection service. */
		VERIFY,

		/** The scheduled health check. */
		HEALTH_CHECK

	}

}
