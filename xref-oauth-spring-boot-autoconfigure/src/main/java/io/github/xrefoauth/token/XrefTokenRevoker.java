package io.github.xrefoauth.token;

/**
 * Revokes a token that the platform will not keep, at Xref
 * ({@code POST /oauth/deauthorize}).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface XrefTokenRevoker {

	/**
	 * Revokes the token at Xref. A token that Xref already rejects ({@code 401}) counts
	 * as revoked.
	 * @param accessToken the token
	 * @throws XrefTokenException if Xref did not confirm that it revoked the token
	 */
	void revoke(String accessToken);

}
