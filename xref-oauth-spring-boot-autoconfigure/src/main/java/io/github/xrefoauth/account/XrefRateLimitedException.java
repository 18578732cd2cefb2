package io.github.xrefoauth.account;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;

/**
 * Thrown when Xref answered a call with {@code 429 Too Many Requests}: it limits the rate
 * of calls, and the call may be tried again after {@link #getRetryAfter()}. Nothing about
 * the token follows from it: the connection is kept. Thrown by calls through
 * {@code xrefRestClient}, {@code xrefWebClient} and the HTTP service group {@code xref},
 * and by the connection services. A web request that fails with it is answered with
 * {@code 503 Service Unavailable} and a {@code Retry-After} header.
 *
 * @since 0.1.0
 */
public class XrefRateLimitedException extends XrefApiException {

	private final Duration retryAfter;

	/**
	 * Creates an exception.
	 * @param call the call, e.g. {@code POST /auth}
	 * @param contentType the content type of the answer, if any
	 * @param retryAfter how long to wait before calling again, never negative
	 */
	public XrefRateLimitedException(String call, @Nullable MediaType contentType, Duration retryAfter) {
		super(call, HttpStatus.TOO_MANY_REQUESTS, contentType,
				"too many requests; retry after " + seconds(retryAfter) + " s");
		this.retryAfter = retryAfter;
	}

	/**
	 * Returns how long to wait before calling Xref again: what Xref's {@code Retry-After}
	 * header said, or a default when it said nothing readable.
	 * @return the wait, never negative
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Returns the wait in whole seconds, rounded up, as a {@code Retry-After} header
	 * names it.
	 * @return the seconds to wait
	 */
	public long getRetryAfterSeconds() {
		return seconds(this.retryAfter);
	}

	private static long seconds(Duration retryAfter) {
		Assert.notNull(retryAfter, "retryAfter cannot be null");
		Assert.isTrue(!retryAfter.isNegative(), "retryAfter cannot be negative");
		return retryAfter.plusNanos(999_999_999).getSeconds();
	}

}
