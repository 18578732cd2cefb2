package io.github.xrefoauth.account;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClientException;

/**
 * Thrown when Xref answered a call, but not with what its reference promises for it: a
 * status other than 2xx, a body that is not JSON, or JSON of another shape. The message
 * names the call, the status and the content type; never a token or text of the body.
 *
 * @since 0.1.0
 */
public class XrefApiException extends RestClientException {

	private final HttpStatusCode statusCode;

	private final @Nullable MediaType contentType;

	/**
	 * Creates an exception.
	 * @param call the call, e.g. {@code POST /oauth/deauthorize}
	 * @param statusCode the status Xref answered with
	 * @param contentType the content type of the answer, if any
	 * @param problem what is wrong with the answer, without text from it
	 */
	public XrefApiException(String call, HttpStatusCode statusCode, @Nullable MediaType contentType, String problem) {
		super("Xref answered " + call + " with HTTP " + statusCode.value() + " ("
				+ ((contentType != null) ? contentType.getType() + "/" + contentType.getSubtype() : "no content type")
				+ "): " + problem);
		Assert.notNull(statusCode, "statusCode cannot be null");
		this.statusCode = statusCode;
		this.contentType = contentType;
	}

	/**
	 * Returns the status Xref answered with.
	 * @return the status
	 */
	public HttpStatusCode getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Returns the content type of Xref's answer.
	 * @return the content type, or {@code null} if the answer had none or an invalid one
	 */
	public @Nullable MediaType getContentType() {
		return this.contentType;
	}

	/**
	 * Whether Xref refused the call in a way a retry will not change: a 4xx status other
	 * than 401 (the token is not valid), 408 (timeout) and 429 (too many requests). Xref
	 * answers so, say with 403 or 404, when it will not deauthorize a token.
	 * @return {@code true} for a lasting refusal
	 */
	public boolean isRefusal() {
		return this.statusCode.is4xxClientError() && !this.statusCode.isSameCodeAs(HttpStatus.UNAUTHORIZED)
				&& !this.statusCode.isSameCodeAs(HttpStatus.REQUEST_TIMEOUT)
				&& !this.statusCode.isSameCodeAs(HttpStatus.TOO_MANY_REQUESTS);
	}

}
