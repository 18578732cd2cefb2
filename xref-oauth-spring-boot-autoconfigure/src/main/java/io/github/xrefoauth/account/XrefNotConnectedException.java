package io.github.xrefoauth.account;

/**
 * Thrown when an Xref API call has no connected account to act for.
 */
public class XrefNotConnectedException extends RuntimeException {

	public XrefNotConnectedException(String message) {
		super(message);
	}

}
