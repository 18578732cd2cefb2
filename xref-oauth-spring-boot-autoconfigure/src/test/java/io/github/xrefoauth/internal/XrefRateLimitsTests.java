package io.github.xrefoauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class XrefRateLimitsTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	@Test
	void onlyA429IsARateLimit() {
		assertThat(XrefRateLimits.isRateLimited(HttpStatus.TOO_MANY_REQUESTS)).isTrue();
		assertThat(XrefRateLimits.isRateLimited(HttpStatus.SERVICE_UNAVAILABLE)).isFalse();
		assertThat(XrefRateLimits.isRateLimited(HttpStatus.UNAUTHORIZED)).isFalse();
	}

	@Test
	void secondsAreTheWait() {
		assertThat(XrefRateLimits.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
		assertThat(XrefRateLimits.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
		assertThat(XrefRateLimits.retryAfter("0", NOW)).isEqualTo(Duration.ZERO);
	}

	@Test
	void anHttpDateIsWaitedFor() {
		assertThat(XrefRateLimits.retryAfter(httpDate(NOW.plusSeconds(90)), NOW)).isEqualTo(Duration.ofSeconds(90));
		assertThat(XrefRateLimits.retryAfter("Sun, 01 Mar 2026 12:00:07 GMT", NOW)).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void aDateInThePastMeansNoWait() {
		assertThat(XrefRateLimits.retryAfter(httpDate(NOW.minusSeconds(30)), NOW)).isEqualTo(Duration.ZERO);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "-5", "1.5", "soon", "7s", "Sun, 01 Mar 2026", "99999999999999999999x" })
	void aMissingOrUnreadableHeaderMeansTheDefault(String value) {
		assertThat(XrefRateLimits.retryAfter(value, NOW)).isEqualTo(XrefRateLimits.DEFAULT_WAIT)
			.isEqualTo(Duration.ofSeconds(60));
		assertThat(XrefRateLimits.retryAfter(null, NOW)).isEqualTo(XrefRateLimits.DEFAULT_WAIT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "3601", "86400", "9223372036854775807", "99999999999999999999999" })
	void aLongWaitIsCappedAtAnHour(String value) {
		assertThat(XrefRateLimits.retryAfter(value, NOW)).isEqualTo(XrefRateLimits.MAX_WAIT)
			.isEqualTo(Duration.ofHours(1));
		assertThat(XrefRateLimits.retryAfter(httpDate(NOW.plus(Duration.ofDays(2))), NOW))
			.isEqualTo(XrefRateLimits.MAX_WAIT);
	}

	@Test
	void theExceptionCarriesTheWaitAndIsAnXrefApiExceptionThatIsNoRefusal() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, httpDate(NOW.plusSeconds(7)));
		headers.set(HttpHeaders.CONTENT_TYPE, "not a media type");

		XrefRateLimitedException exception = XrefRateLimits.exception("POST /auth", headers,
				Clock.fixed(NOW, ZoneOffset.UTC));

		assertThat(exception).isInstanceOf(XrefApiException.class);
		assertThat(exception.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(exception.getRetryAfterSeconds()).isEqualTo(7);
		assertThat(exception.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(exception.isRefusal()).isFalse();
		assertThat(exception.getContentType()).isNull();
		assertThat(exception.getMessage())
			.isEqualTo("Xref answered POST /auth with HTTP 429 (no content type): too many requests; retry after 7 s");
	}

	@Test
	void aWaitOfAFractionOfASecondIsAWholeSecondInTheHeader() {
		assertThat(new XrefRateLimitedException("POST /auth", null, Duration.ofMillis(1500)).getRetryAfterSeconds())
			.isEqualTo(2);
		assertThat(new XrefRateLimitedException("POST /auth", null, Duration.ZERO).getRetryAfterSeconds()).isZero();
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
	}

}
