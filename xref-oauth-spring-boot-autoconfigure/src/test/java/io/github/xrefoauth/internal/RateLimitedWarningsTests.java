package io.github.xrefoauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One warning per kind per interval, and the count of those held back in between.
 */
class RateLimitedWarningsTests {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00Z"));

	private final RateLimitedWarnings<String> warnings = new RateLimitedWarnings<>(Duration.ofMinutes(1), new Clock() {

		@Override
		public Instant instant() {
			return RateLimitedWarningsTests.this.now.get();
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	});

	@Test
	void firstWarningPassesAndTheNextOnesWaitForTheIntervalAndAreCounted() {
		assertThat(this.warnings.acquire("store_failed")).isZero();
		for (int i = 0; i < 1000; i++) {
			assertThat(this.warnings.acquire("store_failed")).isEqualTo(-1);
		}
		this.now.set(this.now.get().plusSeconds(59));
		assertThat(this.warnings.acquire("store_failed")).isEqualTo(-1);
		this.now.set(this.now.get().plusSeconds(1));
		assertThat(this.warnings.acquire("store_failed")).isEqualTo(1001);
		assertThat(this.warnings.acquire("store_failed")).isEqualTo(-1);
	}

	@Test
	void eachKindHasItsOwnInterval() {
		assertThat(this.warnings.acquire("store_failed")).isZero();
		assertThat(this.warnings.acquire("token_exchange_failed")).isZero();
		assertThat(this.warnings.acquire("store_failed")).isEqualTo(-1);
	}

	@Test
	void aWarningNamesHowManyWereHeldBackBeforeIt() {
		assertThat(RateLimitedWarnings.heldBack(0)).isEmpty();
		assertThat(RateLimitedWarnings.heldBack(1001)).isEqualTo(" (1001 more since the last warning)");
	}

}
