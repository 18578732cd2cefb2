package io.github.xrefoauth.connect;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.xrefoauth.event.XrefConnectFailure;

import org.springframework.util.Assert;

/**
 * Counts how connects ended since start-up: completed connects and failures per
 * {@link XrefConnectFailure reason}. Thread-safe; counting never blocks a request.
 * Failures that anyone can cause (a forged state, a denied consent) are logged at DEBUG
 * only, so these counts are where they show. A connect whose outcome was in doubt is
 * counted under {@link XrefConnectFailure#OUTCOME_PENDING}, then once more as connected
 * or under {@link XrefConnectFailure#STORE_FAILED} when it is settled.
 *
 * @since 0.1.0
 */
public final class XrefConnectOutcomes {

	private final LongAdder connected = new LongAdder();

	private final Map<XrefConnectFailure, LongAdder> failures = new EnumMap<>(XrefConnectFailure.class);

	/**
	 * Creates counters that all start at zero.
	 */
	public XrefConnectOutcomes() {
		for (XrefConnectFailure failure : XrefConnectFailure.values()) {
			this.failures.put(failure, new LongAdder());
		}
	}

	/**
	 * Counts a completed connect.
	 */
	public void recordConnected() {
		this.connected.increment();
	}

	/**
	 * Counts a failed connect.
	 * @param failure why it failed
	 */
	public void recordFailure(XrefConnectFailure failure) {
		Assert.notNull(failure, "failure cannot be null");
		this.failures.get(failure).increment();
	}

	/**
	 * Returns how many connects completed.
	 * @return the count
	 */
	public long connected() {
		return this.connected.sum();
	}

	/**
	 * Returns how many connects failed for a reason.
	 * @param failure the reason
	 * @return the count
	 */
	public long failures(XrefConnectFailure failure) {
		Assert.notNull(failure, "failure cannot be null");
		return this.failures.get(failure).sum();
	}

	/**
	 * Returns the failure counts keyed by {@link XrefConnectFailure#code() reason code},
	 * every code included.
	 * @return an unmodifiable snapshot
	 */
	public Map<String, Long> failures() {
		Map<String, Long> snapshot = new LinkedHashMap<>();
		this.failures.forEach((failure, count) -> snapshot.put(failure.code(), count.sum()));
		return Collections.unmodifiableMap(snapshot);
	}

}
