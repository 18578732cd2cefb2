package io.github.xrefoauth.client;

/**
 * What {@link XrefConnectionService#verify()} found out about the tenant's token.
 *
 * @since 0.1.0
 */
public enum XrefVerification {

	/** Xref accepted the token: the connection works. */
	ACCEPTED,

	/**
	 * Xref rejected the token (401): it was revoked at Xref's side, and the connection
	 * was forgotten. The tenant is no longer connected.
	 */
	FORGOTTEN,

	/**
	 * Xref rejected the token (401) that was checked, but the tenant was connected anew
	 * meanwhile: the newer connection is kept, and the tenant is still connected.
	 */
	REPLACED

}
