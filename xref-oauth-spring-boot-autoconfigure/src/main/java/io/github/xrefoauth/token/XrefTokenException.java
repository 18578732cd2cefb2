package io.github.xrefoauth.token;

/**
 * Thrown when Xref did not issue a token for an authorization code. The message never
 * contains the code, the client secret or anything Xref returned.
 */
public class XrefTokenException extends RuntimeException {

	public XrefTokenException(String message) {
		super(message);
	}

	public XrefTokenException(String message, Throwable cause) {
		super(message, cause);
	}

}
