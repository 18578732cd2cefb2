package io.github.xrefoauth.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataRetrievalFailureException;

/**
 * Thrown when a stored token cannot be decrypted with the configured keys: the key it
 * names is not configured, or that key does not decrypt it (another secret under the same
 * id, or an altered value). A fault of the platform's configuration, not of the end user;
 * being a {@link org.springframework.dao.DataAccessException}, it is handled like other
 * failures of the store. Names the key id, never the token or a key.
 *
 * @since 0.1.0
 */
public final class XrefTokenKeyException extends DataRetrievalFailureException {

	private final String keyId;

	private final @Nullable String xrefAccountId;

	private final boolean keyConfigured;

	private XrefTokenKeyException(String message, String keyId, @Nullable String xrefAccountId, boolean keyConfigured,
			@Nullable Throwable cause) {
		super(message, cause);
		this.keyId = keyId;
		this.xrefAccountId = xrefAccountId;
		this.keyConfigured = keyConfigured;
	}

	static XrefTokenKeyException notConfigured(String keyId) {
		return new XrefTokenKeyException(describe(keyId, null, true), keyId, null, false, null);
	}

	static XrefTokenKeyException notDecrypting(String keyId, @Nullable Throwable cause) {
		return new XrefTokenKeyException(describe(keyId, null, false), keyId, null, true, cause);
	}

	/**
	 * Returns this exception for the token of the given account.
	 * @param xrefAccountId the account whose stored token could not be decrypted
	 * @return an exception that names the account too
	 */
	XrefTokenKeyException forAccount(String xrefAccountId) {
		return new XrefTokenKeyException(describe(this.keyId, xrefAccountId, !this.keyConfigured), this.keyId,
				xrefAccountId, this.keyConfigured, getCause());
	}

	private static String describe(String keyId, @Nullable String xrefAccountId, boolean missing) {
		String token = (xrefAccountId != null) ? "The stored token of Xref account '" + xrefAccountId + "'"
				: "A stored token";
		return token + " was encrypted with key '" + keyId + "', "
				+ (missing ? "which is not configured" : "but the key configured as '" + keyId
						+ "' does not decrypt it: its secret differs from the one that encrypted the token, or the"
						+ " stored value was altered");
	}

	/**
	 * Returns the id of the key that the stored token names.
	 * @return the key id
	 */
	public String getKeyId() {
		return this.keyId;
	}

	/**
	 * Returns the account whose token could not be decrypted.
	 * @return the Xref account, or {@code null} if not known
	 */
	public @Nullable String getXrefAccountId() {
		return this.xrefAccountId;
	}

	/**
	 * Whether a key of that id is configured. If so, it is the wrong one.
	 * @return {@code false} if the key is missing, {@code true} if it does not decrypt
	 */
	public boolean isKeyConfigured() {
		return this.keyConfigured;
	}

}
