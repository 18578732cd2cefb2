package io.github.xrefoauth.health;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Counts the outcomes of the checks, per round and in total. A round starts with the
 * first tick and ends with the first tick an interval later. The checks of
 * {@link XrefHealthCheck#checkNow()} count in the totals and in a round of their own.
 */
final class HealthCheckRounds {

	private final Duration interval;

	private @Nullable Counts current;

	private XrefHealthCheck.@Nullable Round last;

	private final Counts totals = new Counts(Instant.EPOCH);

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

	/**
	 * Counts the outcome of checks of a tick, in the round in progress and in the totals.
	 * @param outcome the outcome
	 * @param count how many connections had it
	 */
	synchronized void add(Outcome outcome, int count) {
		this.totals.add(outcome, count);
		Counts current = this.current;
		if (current != null) {
			current.add(outcome, count);
		}
	}

	/**
	 * Counts the outcome of checks outside the scheduled rounds, in the totals and in the
	 * given counts.
	 * @param counts the counts of a round run now
	 * @param outcome the outcome
	 * @param count how many connections had it
	 */
	synchronized void add(Counts counts, Outcome outcome, int count) {
		this.totals.add(outcome, count);
		counts.add(outcome, count);
	}

	synchronized XrefHealthCheck.@Nullable Round last() {
		return this.last;
	}

	synchronized XrefHealthCheck.@Nullable Round current() {
		Counts current = this.current;
		return (current != null) ? current.round(null) : null;
	}

	synchronized XrefHealthCheck.Totals totals() {
		return new XrefHealthCheck.Totals(this.totals.checked, this.totals.broken, this.totals.failed);
	}

	/**
	 * What one check came to.
	 */
	enum Outcome {

		/** Xref accepted the token. */
		VALID,

		/** Xref rejected the token and the store marked the connection. */
		BROKEN,

		/** Xref rejected a token the store no longer held. */
		REJECTED_ELSEWHERE,

		/** Not checked: no answer, another answer, or a {@code 429}. */
		FAILED

	}

	/**
	 * The counts of one round, guarded by the {@link HealthCheckRounds} that adds to it.
	 */
	static final class Counts {

		private final Instant startedAt;

		private long checked;

		private long broken;

		private long failed;

		Counts(Instant startedAt) {
			this.startedAt = startedAt;
		}

		private void add(Outcome outcome, int count) {
			switch (outcome) {
				case VALID, REJECTED_ELSEWHERE -> this.checked += count;
				case BROKEN -> {
					this.checked += count;
					this.broken += count;
				}
				case FAILED -> this.failed += count;
			}
		}

		XrefHealthCheck.Round round(@Nullable Instant endedAt) {
			return new XrefHealthCheck.Round(this.startedAt, endedAt, this.checked, this.broken, this.failed);
		}

	}

}
