package io.github.xrefoauth.internal;

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
 * @since 0.1.0
 */
public final class RateLimitedWarnings<K> {

	private final Map<K, Window> windows = new ConcurrentHashMap<>();

	private final long intervalMillis;

	private final Clock clock;

	/**
	 * Creates windows that open once per interval.
	 * @param interval how long a warning holds back the next ones of its kind
	 * @param clock the clock that times the windows
	 */
	public RateLimitedWarnings(Duration interval, Clock clock) {
		this.intervalMillis = interval.toMillis();
		this.clock = clock;
	}

	/**
	 * Returns whether a warning of this kind may be logged now and how many were held
	 * back since the last one, or {@code -1} if this one is held back.
	 * @param key the kind of warning
	 * @return the number held back since the last warning of this kind, or {@code -1}
	 */
	public long acquire(K key) {
		Window window = this.windows.computeIfAbsent(key, (k) -> new Window());
		long now = this.clock.millis();
		long opensAt = window.opensAt.get();
		if (now >= opensAt && window.opensAt.compareAndSet(opensAt, now + this.intervalMillis)) {
			return window.heldBack.getAndSet(0);
		}
		window.heldBack.incrementAndGet();
		return -1;
	}

	/**
	 * Returns what a warning adds about the ones held back before it.
	 * @param heldBack what {@link #acquire(Object)} returned for the warning
	 * @return {@code " (n more since the last warning)"}, or nothing if none was held
	 * back
	 */
	public static String heldBack(long heldBack) {
		return (heldBack > 0) ? " (" + heldBack + " more since the last warning)" : "";
	}

	private static final class Window {

		private final AtomicLong opensAt = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong heldBack = new AtomicLong();

	}

}
