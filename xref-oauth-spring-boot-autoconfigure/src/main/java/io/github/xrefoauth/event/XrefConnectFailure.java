package io.github.xrefoauth.event;

/**
 * Why a connect failed, or {@link #OUTCOME_PENDING} when its outcome is not known yet.
 * The {@link #code() code} is appended to the failure URL as {@value #PARAMETER}; it
 * never carries text from the request or from Xref.
 *
 * @since 0.1.0
 */
public enum XrefConnectFailure {

	/** The end user denied the connection at Xref. */
	DENIED("access_denied"),

	/** Xref redirected back with an error other than a denial. */
	XREF_ERROR("xref_error"),

	/** The state is missing, unknown, expired or already used. */
	INVALID_STATE("invalid_state"),

	/** Xref redirected back without a code. */
	MISSING_CODE("missing_code"),

	/** Xref did not issue a token for the code. */
	TOKEN_EXCHANGE_FAILED("token_exchange_failed"),

	/** The connect could not be started: its pending request could not be saved. */
	START_FAILED("start_failed"),

	/** The pending request could not be read, or the token could not be stored. */
	STORE_FAILED("store_failed"),

	/** The callback arrived without an authenticated end user. */
	NOT_AUTHENTICATED("not_authenticated"),

	/** The end user has no tenant key, so the account could not be linked to anyone. */
	NO_TENANT("no_tenant"),

	/** The callback was not a {@code GET}, or its parameters could not be read. */
	INVALID_REQUEST("invalid_request"),

	/**
	 * Not a failure as fact: storing the token reported a fault and the store could not
	 * be read back, so whether the token was stored is not known yet. The token is kept
	 * aside and the doubt is settled once the store answers again: a stored token makes
	 * the connect a success ({@code XrefConnectedEvent}); otherwise the token is revoked
	 * and the connect fails with {@link #STORE_FAILED}. No {@code XrefConnectFailedEvent}
	 * is published for this outcome itself.
	 */
	OUTCOME_PENDING("outcome_pending");

	/**
	 * The query parameter of the failure URL that carries the {@link #code() code}.
	 */
	public static final String PARAMETER = "xref_error";

	private final String code;

	XrefConnectFailure(String code) {
		this.code = code;
	}

	/**
	 * Returns the short reason code.
	 * @return the code, e.g. {@code access_denied}
	 */
	public String code() {
		return this.code;
	}

}
