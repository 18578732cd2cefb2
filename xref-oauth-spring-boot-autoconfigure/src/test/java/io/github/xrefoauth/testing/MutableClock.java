package io.github.xrefoauth.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that stands still until a test moves it forward.
 */
public final class MutableClock extends Clock {

	private volatile Instant instant;

	/**
	 * Creates a clock at {@code 2026-01-01T10:00:00Z}.
	 */
	public MutableClock() {
		this(Instant.parse("2026-01-01T10:00:00Z"));
	}

	/**
	 * Creates a clock at the given instant.
	 * @param instant the instant
	 */
	public MutableClock(Instant instant) {
		this.instant = instant;
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.instant = this.instant.plus(duration);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

}
