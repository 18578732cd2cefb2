package io.github.xrefoauth.account.reactive;

/**
 * Thrown when Xref answered a verify or deauthorize call with something other than what
 * its reference promises: a non-2xx status other than {@code 401}, a body that is not a
 * JSON object, or a deauthorize answer for another token. The connection is kept. The
 * message names the call and the status, never a token or the body.
 */
public class XrefUnexpectedResponseException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what came back, without tokens
	 */
	public XrefUnexpectedResponseException(String message) {
		super(message);
	}

}
