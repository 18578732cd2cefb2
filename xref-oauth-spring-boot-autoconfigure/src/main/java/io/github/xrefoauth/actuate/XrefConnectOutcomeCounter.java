package io.github.xrefoauth.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.xrefoauth.callback.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectedEvent;

import org.springframework.context.event.EventListener;

/**
 * Counts connect outcomes since start-up from the connect events: {@code connected} and
 * one count per {@link XrefConnectFailure} code.
 */
public final class XrefConnectOutcomeCounter {

	/** The key of successful connects. */
	public static final String CONNECTED = "connected";

	private final Map<String, LongAdder> counts = new LinkedHashMap<>();

	/**
	 * Creates counters at zero for every outcome.
	 */
	public XrefConnectOutcomeCounter() {
		this.counts.put(CONNECTED, new LongAdder());
		for (XrefConnectFailure failure : XrefConnectFailure.values()) {
			this.counts.put(failure.code(), new LongAdder());
		}
	}

	/**
	 * Counts a successful connect.
	 * @param event the event
	 */
	@EventListener
	public void onConnected(XrefConnectedEvent event) {
		this.counts.get(CONNECTED).increment();
	}

	/**
	 * Counts a failed connect under its reason code.
	 * @param event the event
	 */
	@EventListener
	public void onConnectFailed(XrefConnectFailedEvent event) {
		this.counts.get(event.reason().code()).increment();
	}

	/**
	 * Returns the counts.
	 * @return {@code connected} and every failure code, in a fixed order
	 */
	public Map<String, Long> counts() {
		Map<String, Long> snapshot = new LinkedHashMap<>();
		this.counts.forEach((outcome, count) -> snapshot.put(outcome, count.sum()));
		return snapshot;
	}

}
