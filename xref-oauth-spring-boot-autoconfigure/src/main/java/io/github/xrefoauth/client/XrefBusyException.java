package io.github.xrefoauth.client;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.client.RestClientException;

/**
 * Thrown instead of calling Xref when {@code xref.oauth.max-concurrent-calls} calls to
 * Xref are already in progress: Xref answers slowly or not at all, and waiting would hold
 * one more thread. Nothing was sent; the caller may try again later. Unhandled in a web
 * request, it is answered with {@code 503 Service Unavailable}.
 *
 * @since 0.1.0
 */
@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
public class XrefBusyException extends RestClientException {

	/**
	 * Creates an exception for the given bound.
	 * @param maxConcurrentCalls the number of calls that were in progress
	 */
	public XrefBusyException(int maxConcurrentCalls) {
		super("Xref is busy: " + maxConcurrentCalls
				+ " calls to Xref are in progress (xref.oauth.max-concurrent-calls); nothing was sent");
	}

}
