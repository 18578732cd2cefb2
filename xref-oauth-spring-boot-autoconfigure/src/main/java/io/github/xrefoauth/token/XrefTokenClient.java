package io.github.xrefoauth.token;

/**
 * Exchanges an authorization code for an Xref account's access token.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface XrefTokenClient {

	/**
	 * Exchanges the code that Xref passed to the callback.
	 * @param code the authorization code, valid once for five minutes
	 * @return the token and the Xref account it belongs to
	 * @throws XrefUnusableTokenException if Xref answered with a token but without its
	 * Xref account
	 * @throws XrefTokenException if Xref did not issue a token
	 */
	XrefTokenResponse exchange(String code);

}
