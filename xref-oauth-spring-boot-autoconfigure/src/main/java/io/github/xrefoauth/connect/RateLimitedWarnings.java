package io.github.xrefoauth.connect;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one warning per key through per interval and counts the ones held back, so that a
 * fault repeated on every request writes a few log lines, not one per request.
 *
 * @param <K> the kind of warning
 */
final class RateLimitedWarnings<K> {

	private final Map<K, Window> windows = new ConcurrentHashMap<>();

	private final long intervalMillis;

	private final Clock clock;

	RateLimitedWarnings(Duration interval, Clock clock) {
		this.intervalMillis = interval.toMillis();
		this.clock = clock;
	}

	/**
	 * Returns whether a warning of this kind may be logged now and how many were held
	 * back since the last one, or {@code -1} if this one is held back.
	 */
	long acquire(K key) {
		Window window = this.windows.computeIfAbsent(key, (k) -> new Window());
		long now = this.clock.millis();
		long opensAt = window.opensAt.get();
		if (now >= opensAt && window.opensAt.compareAndSet(opensAt, now + this.intervalMillis)) {
			return window.heldBack.getAndSet(0);
		}
		window.heldBack.incrementAndGet();
		return -1;
	}

	private static final class Window {

		private final AtomicLong opensAt = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong heldBack = new AtomicLong();

	}

}
