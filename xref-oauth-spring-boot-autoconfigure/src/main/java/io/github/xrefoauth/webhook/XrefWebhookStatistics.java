package io.github.xrefoauth.webhook;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the deliveries that the receiver accepted and refused since start-up.
 *
 * @since 0.1.0
 */
public final class XrefWebhookStatistics {

	private final LongAdder accepted = new LongAdder();

	private final LongAdder verified = new LongAdder();

	private final Map<XrefWebhookRejection, LongAdder> rejected = new EnumMap<>(XrefWebhookRejection.class);

	/**
	 * Creates counters at zero.
	 */
	public XrefWebhookStatistics() {
		for (XrefWebhookRejection rejection : XrefWebhookRejection.values()) {
			this.rejected.put(rejection, new LongAdder());
		}
	}

	void accepted(boolean verified) {
		this.accepted.increment();
		if (verified) {
			this.verified.increment();
		}
	}

	void rejected(XrefWebhookRejection rejection) {
		this.rejected.get(rejection).increment();
	}

	/**
	 * Returns how many deliveries were accepted and published.
	 * @return the count
	 */
	public long accepted() {
		return this.accepted.sum();
	}

	/**
	 * Returns how many accepted deliveries were verified.
	 * @return the count
	 */
	public long verified() {
		return this.verified.sum();
	}

	/**
	 * Returns how many deliveries were refused, per reason code, every reason listed.
	 * @return the counts in the order of {@link XrefWebhookRejection}
	 */
	public Map<String, Long> rejected() {
		Map<String, Long> counts = new LinkedHashMap<>();
		this.rejected.forEach((rejection, count) -> counts.put(rejection.code(), count.sum()));
		return counts;
	}

}
