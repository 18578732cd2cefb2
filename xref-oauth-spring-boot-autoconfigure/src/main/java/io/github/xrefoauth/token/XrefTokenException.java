package io.github.xrefoauth.token;

/**
 * Thrown when Xref did not issue a token for an authorization code. The message never
 * contains the code, the client secret or anything Xref returned.
 *
 * @since 0.1.0
 */
public class XrefTokenException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what went wrong, without secrets
	 */
	public XrefTokenException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what went wrong, without secrets
	 * @param cause the failure underneath
	 */
	public XrefTokenException(String message, Throwable cause) {
		super(message, cause);
	}

}
