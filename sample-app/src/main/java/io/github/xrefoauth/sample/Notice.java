package io.github.xrefoauth.sample;

import io.github.xrefoauth.callback.XrefConnectFailure;

/**
 * The messages the dashboard shows after an action. Only these fixed texts reach the
 * page: nothing from the request or from Xref is echoed.
 */
enum Notice {

	CONNECTED(true, "Xref account connected."),

	VERIFIED(true, "Xref accepted the token."),

	REVOKED(false, "Xref no longer accepts the token: the connection was removed."),

	DISCONNECTED(true, "Xref account disconnected. Xref revoked the token."),

	NOT_CONNECTED(false, "No Xref account is connected for your tenant any more."),

	XREF_UNAVAILABLE(false,
			"Xref could not be reached or answered with an error. Nothing was changed; " + "please try again later."),

	DENIED(false, "You denied the connection at Xref. Nothing was connected."),

	XREF_ERROR(false, "Xref reported an error during the connect. Nothing was connected; please try again."),

	INVALID_STATE(false, "The connect request was unknown, expired or already used. Please start the connect again."),

	MISSING_CODE(false, "Xref answered without an authorization code. Please start the connect again."),

	TOKEN_EXCHANGE_FAILED(false,
			"Xref did not issue a token for the connect. Nothing was connected; " + "please try again later."),

	STORE_FAILED(false, "The connection could not be saved. Nothing was connected; please try again."),

	NOT_AUTHENTICATED(false, "Your login ended during the connect. Please log in and connect again."),

	CONNECT_FAILED(false, "Connecting Xref failed. Please try again.");

	private final boolean success;

	private final String text;

	Notice(boolean success, String text) {
		this.success = success;
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
	 * Returns the notice for the {@code xref_error} code of a failed connect.
	 * @param code the code the starter appended to the failure URL
	 * @return the matching notice, or {@link #CONNECT_FAILED} for an unknown code
	 */
	static Notice ofConnectFailure(String code) {
		for (XrefConnectFailure failure : XrefConnectFailure.values()) {
			if (failure.code().equals(code)) {
				return ofConnectFailure(failure);
			}
		}
		return CONNECT_FAILED;
	}

	private static Notice ofConnectFailure(XrefConnectFailure failure) {
		return switch (failure) {
			case DENIED -> DENIED;
			case XREF_ERROR -> XREF_ERROR;
			case INVALID_STATE -> INVALID_STATE;
			case MISSING_CODE -> MISSING_CODE;
			case TOKEN_EXCHANGE_FAILED -> TOKEN_EXCHANGE_FAILED;
			case STORE_FAILED -> STORE_FAILED;
			case NOT_AUTHENTICATED -> NOT_AUTHENTICATED;
			default -> CONNECT_FAILED;
		};
	}

}
