package io.github.xrefoauth.account;

/**
 * Thrown when an Xref API call has no connected account to act for.
 *
 * @since 0.1.0
 */
public class XrefNotConnectedException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message which end user, tenant or account has no connection
	 */
	public XrefNotConnectedException(String message) {
		super(message);
	}

}
