package io.github.xrefoauth.health;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Counts the outcomes of the checks, per round and in total. A round starts with the
 * first tick and ends with the first tick an interval later.
 */
final class HealthCheckRounds {

	private final Duration interval;

	private @Nullable Counts current;

	private XrefHealthCheck.@Nullable Round last;

	private long checked;

	private long broken;

	private long failed;

	HealthCheckRounds(Duration interval) {
		this.interval = interval;
	}

	/**
	 * Starts a new round if the current one lasted an interval.
	 * @param now the time of the tick
	 * @return whether a new round started
	 */
	synchronized boolean roll(Instant now) {
		Counts current = this.current;
		if (current != null && now.isBefore(current.startedAt.plus(this.interval))) {
			return false;
		}
		if (current != null) {
			this.last = current.round(now);
		}
		this.current = new Counts(now);
		return true;
	}

	synchronized void checked(boolean broken) {
		this.checked++;
		if (broken) {
			this.broken++;
		}
		Counts current = this.current;
		if (current != null) {
			current.checked++;
			if (broken) {
				current.broken++;
			}
		}
	}

	synchronized void failed(int count) {
		this.failed += count;
		Counts current = this.current;
		if (current != null) {
			current.failed += count;
		}
	}

	synchronized XrefHealthCheck.@Nullable Round last() {
		return this.last;
	}

	synchronized XrefHealthCheck.@Nullable Round current() {
		Counts current = this.current;
		return (current != null) ? current.round(null) : null;
	}

	synchronized long checkedTotal() {
		return this.checked;
	}

	synchronized long brokenTotal() {
		return this.broken;
	}

	synchronized long failedTotal() {
		return this.failed;
	}

	private static final class Counts {

		private final Instant startedAt;

		private long checked;

		private long broken;

		private long failed;

		Counts(Instant startedAt) {
			this.startedAt = startedAt;
		}

		XrefHealthCheck.Round round(@Nullable Instant endedAt) {
			return new XrefHealthCheck.Round(this.startedAt, endedAt, this.checked, this.broken, this.failed);
		}

	}

}
