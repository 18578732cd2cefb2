package io.github.xrefoauth.webhook;

import org.springframework.http.HttpStatus;

/**
 * Why the receiver refused a delivery, and how it answered.
 */
enum XrefWebhookRejection {

	/** Not a POST: {@code 405}. */
	METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED),

	/** No JSON content type: {@code 415}. */
	UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),

	/** The body is larger than the bound: {@code 413}. */
	PAYLOAD_TOO_LARGE("payload_too_large", HttpStatus.PAYLOAD_TOO_LARGE),

	/** The body is empty or not JSON, or it could not be read: {@code 400}. */
	MALFORMED_JSON("malformed_json", HttpStatus.BAD_REQUEST),

	/** The {@link XrefWebhookVerifier} refused it: {@code 403}. */
	NOT_VERIFIED("not_verified", HttpStatus.FORBIDDEN);

	private final String code;

	private final HttpStatus status;

	XrefWebhookRejection(String code, HttpStatus status) {
		this.code = code;
		this.status = status;
	}

	/**
	 * Returns the short reason code.
	 * @return the code, e.g. {@code payload_too_large}
	 */
	String code() {
		return this.code;
	}

	/**
	 * Returns the status of the answer.
	 * @return the status
	 */
	HttpStatus status() {
		return this.status;
	}

}
