package io.github.xrefoauth.sample;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The messages the dashboard shows after an action. Only these fixed texts reach the
 * page: nothing from the request or from Xref is echoed.
 */
enum Notice {

	CONNECTED(true, "Xref account connected."),

	VERIFIED(true, "Xref accepted the token."),

	REVOKED(false, "Xref no longer accepts the token. Your tenant needs to reconnect its Xref account."),

	REPLACED(true,
			"Xref rejected the token that was checked, but your tenant was connected again meanwhile "
					+ "with a newer token. The newer connection is kept; press Verify to check it."),

	DISCONNECTED(true, "Xref account disconnected. Xref revoked the token."),

	REMOVED(true,
			"The broken Xref connection was removed. Xref had already rejected its token, so there was "
					+ "nothing to revoke."),

	RECONNECTED_MEANWHILE(false,
			"The token you disconnected is no longer valid at Xref, but your tenant was "
					+ "connected again meanwhile. The newer connection is kept; disconnect again to end it."),

	REFUSED(false, "Xref refused to revoke the token, and a retry will not change that. The connection is kept. "
			+ "You can forget it here: the platform then no longer uses it, but the token may stay valid at Xref "
			+ "until Xref revokes it."),

	FORGOTTEN(true,
			"The platform forgot the Xref account and no longer uses its token. Xref did not revoke the "
					+ "token: it may still be valid at Xref."),

	NOT_CONNECTED(false, "No Xref account is connected for your tenant any more."),

	XREF_UNAVAILABLE(false,
			"Xref could not be reached or answered with an error. Nothing was changed; please try again later."),

	XREF_BUSY(false,
			"Xref is answering slowly and many requests are already waiting for it. Nothing was changed; please try again in a minute."),

	STORE_UNAVAILABLE(false, "The platform could not read or write its Xref connections right now; try again."),

	HEALTH_CHECK_OFF(false,
			"The health check is off, so no round was run. Set xref.oauth.health-check.interval to turn it on."),

	HEALTH_CHECK_NOT_RUNNING(false,
			"The health check is not running (the application is starting or stopping), so no round was run. "
					+ "Try again in a moment."),

	HEALTH_ROUND_PENDING(false,
			"The health round is taking longer than this page waits. It goes on: a connection it finds broken "
					+ "shows as 'Reconnect needed' for its tenants."),

	HEALTH_ROUND_RATE_LIMITED(false,
			"Xref asked the platform to wait before more calls, so no round was run. Try again in a few minutes."),

	HEALTH_ROUND_FAILED(false, "The health round could not be run. Please try again."),

	DENIED(false, "access_denied", "You denied the connection at Xref. Nothing was connected."),

	XREF_ERROR(false, "xref_error",
			"Xref reported an error during the connect. Nothing was connected; please try again."),

	INVALID_STATE(false, "invalid_state",
			"The connect request was unknown, expired or already used. Please start the connect again."),

	MISSING_CODE(false, "missing_code", "Xref answered without an authorization code. Please start the connect again."),

	TOKEN_EXCHANGE_FAILED(false, "token_exchange_failed",
			"Xref did not issue a token for the connect. Nothing was connected; please try again later."),

	STORE_FAILED(false, "store_failed", "The connection could not be saved. Nothing was connected; please try again."),

	NOT_AUTHENTICATED(false, "not_authenticated",
			"Your login ended during the connect. Please log in and connect again."),

	NO_TENANT(false, "no_tenant", "Your user belongs to no tenant, so no Xref account can be connected for it."),

	START_FAILED(false, "start_failed", "The connect could not be started. Nothing was connected; please try again."),

	INVALID_REQUEST(false, "invalid_request",
			"The answer from Xref could not be read. Nothing was connected; please start the connect again."),

	OUTCOME_PENDING(false, "outcome_pending",
			"We are checking whether your Xref account was connected. Refresh this page in a moment."),

	CONNECT_FAILED(false, "Connecting Xref failed. Please try again.");

	private static final Map<String, Notice> BY_FAILURE_CODE = Arrays.stream(values())
		.filter((notice) -> notice.failureCode != null)
		.collect(Collectors.toUnmodifiableMap((notice) -> notice.failureCode, Function.identity()));

	private final boolean success;

	private final @Nullable String failureCode;

	private final String text;

	Notice(boolean success, String text) {
		this(success, null, text);
	}

	Notice(boolean success, @Nullable String failureCode, String text) {
		this.success = success;
		this.failureCode = failureCode;
		this.text = text;
	}

	/**
	 * Whether the notice reports a success.
	 * @return {@code true} for a success, {@code false} for a problem
	 */
	public boolean isSuccess() {
		return this.success;
	}

	/**
	 * Returns the text shown to the end user.
	 * @return the text
	 */
	public String getText() {
		return this.text;
	}

	/**
	 * Returns the notice for the {@code xref_error} code of a failed connect. The code
	 * comes from the URL, so anyone can send any text: it is only looked up, never shown.
	 * @param code a code of {@code XrefConnectFailure}, or any other text
	 * @return the matching notice, or {@link #CONNECT_FAILED} for an unknown code
	 */
	static Notice ofConnectFailure(String code) {
		return BY_FAILURE_CODE.getOrDefault(code, CONNECT_FAILED);
	}

}
