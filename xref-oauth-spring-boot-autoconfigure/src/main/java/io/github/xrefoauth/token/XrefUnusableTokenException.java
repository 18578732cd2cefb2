package io.github.xrefoauth.token;

import org.springframework.util.Assert;

/**
 * Thrown when Xref answered the token exchange with a token but not with the Xref account
 * it belongs to: the token is valid at Xref, but nobody can hold it, so whoever catches
 * this revokes it. The message never contains the token, and the token is not serialized.
 *
 * @since 0.1.0
 */
public class XrefUnusableTokenException extends XrefTokenException {

	private final transient String accessToken;

	/**
	 * Creates an exception.
	 * @param message what went wrong, without secrets
	 * @param accessToken the token that Xref issued
	 */
	public XrefUnusableTokenException(String message, String accessToken) {
		super(message);
		Assert.hasText(accessToken, "accessToken cannot be empty");
		this.accessToken = accessToken;
	}

	/**
	 * Returns the token that Xref issued, to revoke it.
	 * @return the token
	 */
	public String getAccessToken() {
		return this.accessToken;
	}

}
