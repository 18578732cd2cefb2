package io.github.xrefoauth.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * One POST that Xref (or anyone who knows the URL) sent to the webhook path: the raw
 * body, already checked to be JSON, and the request headers.
 *
 * @since 0.1.0
 */
public final class XrefWebhookDelivery {

	private final byte[] body;

	private final HttpHeaders headers;

	private final Instant receivedAt;

	/**
	 * Creates a delivery.
	 * @param body the raw body, as received
	 * @param headers the request headers
	 * @param receivedAt when it arrived
	 */
	public XrefWebhookDelivery(byte[] body, HttpHeaders headers, Instant receivedAt) {
		Assert.notNull(body, "body cannot be null");
		Assert.notNull(headers, "headers cannot be null");
		Assert.notNull(receivedAt, "receivedAt cannot be null");
		this.body = body.clone();
		this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
		this.receivedAt = receivedAt;
	}

	/**
	 * Returns the raw body, byte for byte as received (what a signature covers).
	 * @return a copy of the body
	 */
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * Returns the body as text.
	 * @return the UTF-8 body
	 */
	public String bodyAsString() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/**
	 * Returns the body parsed as JSON.
	 * @return a new tree of the body
	 */
	public JsonNode json() {
		return JsonMapper.shared().readTree(this.body);
	}

	/**
	 * Returns the request headers.
	 * @return read-only headers
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * Returns when the delivery arrived.
	 * @return the time
	 */
	public Instant receivedAt() {
		return this.receivedAt;
	}

	@Override
	public String toString() {
		return "XrefWebhookDelivery[" + this.body.length + " bytes, receivedAt=" + this.receivedAt + "]";
	}

}
