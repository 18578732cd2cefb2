package io.github.xrefoauth.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import io.github.xrefoauth.account.XrefRateLimitedException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * How an answer of Xref that limits the rate of calls ({@code 429 Too Many Requests})
 * becomes an {@link XrefRateLimitedException}, the same for every client: the wait is its
 * {@code Retry-After} header, in seconds or as an HTTP date, at most {@link #MAX_WAIT};
 * {@link #DEFAULT_WAIT} if the header is missing or unreadable.
 *
 * @since 0.1.0
 */
public final class XrefRateLimits {

	/** The wait when Xref names none, or none that can be read. */
	public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

	/** The longest wait taken from Xref's answer. */
	public static final Duration MAX_WAIT = Duration.ofHours(1);

	private XrefRateLimits() {
	}

	/**
	 * Whether an answer limits the rate of calls.
	 * @param status the status of the answer
	 * @return whether it is {@code 429 Too Many Requests}
	 */
	public static boolean isRateLimited(HttpStatusCode status) {
		return status.isSameCodeAs(HttpStatus.TOO_MANY_REQUESTS);
	}

	/**
	 * Returns the exception for an answer that limits the rate of calls.
	 * @param call the call, e.g. {@code POST /auth}; no query, which may hold data
	 * @param headers the headers of the answer
	 * @return the exception, with the wait that the headers name
	 */
	public static XrefRateLimitedException exception(String call, HttpHeaders headers) {
		return exception(call, headers, Clock.systemUTC());
	}

	static XrefRateLimitedException exception(String call, HttpHeaders headers, Clock clock) {
		return new XrefRateLimitedException(call, contentType(headers),
				retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), clock.instant()));
	}

	/**
	 * Returns the wait that a {@code Retry-After} header names.
	 * @param value the header: whole seconds, or an HTTP date; {@code null} if there is
	 * none
	 * @param now the time the answer arrived
	 * @return the wait, between zero (a date in the past) and {@link #MAX_WAIT};
	 * {@link #DEFAULT_WAIT} if the header is missing or unreadable
	 */
	static Duration retryAfter(@Nullable String value, Instant now) {
		if (value == null || value.isBlank()) {
			return DEFAULT_WAIT;
		}
		String trimmed = value.trim();
		Duration wait;
		if (trimmed.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			// Too many digits for a long is a very long wait, not an unreadable one
			wait = (trimmed.length() > 18) ? MAX_WAIT : Duration.ofSeconds(Long.parseLong(trimmed));
		}
		else {
			Instant date = date(trimmed);
			if (date == null) {
				return DEFAULT_WAIT;
			}
			wait = Duration.between(now, date);
		}
		if (wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait;
	}

	private static @Nullable Instant date(String value) {
		try {
			return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	/**
	 * Returns the content type of an answer.
	 * @param headers the headers of the answer
	 * @return the content type, or {@code null} if there is none or it cannot be read
	 */
	static @Nullable MediaType contentType(HttpHeaders headers) {
		try {
			return headers.getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

}
