package io.github.xrefoauth.connect;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.xrefoauth.token.XrefTokenResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Connects whose outcome is in doubt: storing the token reported a fault and the store
 * could not be read back. They are kept in memory on this instance, at most
 * {@value #CAPACITY}, until the store answers. A round reads them back one after the
 * other and stops at the first that still cannot be read. Rounds run on one daemon
 * thread, started with the first doubt: at the interval while the store answers, and
 * further apart (up to {@value #MAX_BACK_OFF} intervals) while it does not.
 */
final class XrefConnectSettler {

	/** How many doubts are kept; beyond that a doubt is not kept aside. */
	static final int CAPACITY = 1_000;

	private static final int MAX_BACK_OFF = 12;

	private static final Log logger = LogFactory.getLog(XrefConnectSettler.class);

	private final Predicate<Unsettled> settle;

	private final Object rounds = new Object();

	private final Deque<Unsettled> unsettled = new ArrayDeque<>();

	private Duration interval = Duration.ofSeconds(5);

	private @Nullable ScheduledExecutorService executor;

	private @Nullable ScheduledFuture<?> next;

	private int unreadableRounds;

	private boolean closed;

	/**
	 * Creates a settler.
	 * @param settle reads a doubt back and acts on what it finds; returns {@code false}
	 * when the store still cannot be read
	 */
	XrefConnectSettler(Predicate<Unsettled> settle) {
		this.settle = settle;
	}

	synchronized void setInterval(Duration interval) {
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(), "interval must be positive");
		this.interval = interval;
	}

	/**
	 * Keeps a doubt aside until a round settles it.
	 * @return {@code false} if it could not be kept: the settler is full or closed
	 */
	synchronized boolean add(Unsettled doubt) {
		if (this.closed || this.unsettled.size() >= CAPACITY) {
			return false;
		}
		this.unsettled.add(doubt);
		scheduleNext();
		return true;
	}

	/**
	 * Runs a round now, on the calling thread.
	 * @return how many doubts it settled
	 */
	int settleNow() {
		synchronized (this.rounds) {
			List<Unsettled> doubts;
			synchronized (this) {
				doubts = List.copyOf(this.unsettled);
			}
			int settled = 0;
			for (Unsettled doubt : doubts) {
				synchronized (this) {
					if (this.closed) {
						return settled;
					}
				}
				if (!settleOne(doubt)) {
					synchronized (this) {
						this.unreadableRounds++;
					}
					return settled;
				}
				synchronized (this) {
					this.unsettled.remove(doubt);
				}
				settled++;
			}
			synchronized (this) {
				this.unreadableRounds = 0;
			}
			return settled;
		}
	}

	private boolean settleOne(Unsettled doubt) {
		try {
			return this.settle.test(doubt);
		}
		catch (RuntimeException ex) {
			// Decided, but acting on it failed: a second try could revoke or publish
			// twice.
			logger.warn("Settling the connect of Xref account " + doubt.token().xrefAccountId() + " failed: "
					+ ex.getClass().getSimpleName());
			return true;
		}
	}

	/**
	 * Returns the doubts not settled yet.
	 * @return a snapshot, oldest first
	 */
	synchronized List<Unsettled> unsettled() {
		return List.copyOf(this.unsettled);
	}

	/**
	 * Stops settling and the thread.
	 * @return the doubts that stay unsettled
	 */
	List<Unsettled> close() {
		ScheduledExecutorService executor;
		synchronized (this) {
			this.closed = true;
			executor = this.executor;
			this.executor = null;
			this.next = null;
		}
		if (executor != null) {
			executor.shutdownNow();
		}
		return unsettled();
	}

	private void scheduleNext() {
		if (this.closed || this.next != null || this.unsettled.isEmpty()) {
			return;
		}
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "xref-connect-settler");
				thread.setDaemon(true);
				return thread;
			});
		}
		long delay = this.interval.toMillis() * Math.min(1L << Math.min(this.unreadableRounds, 8), MAX_BACK_OFF);
		this.next = this.executor.schedule(this::backgroundRound, delay, TimeUnit.MILLISECONDS);
	}

	private void backgroundRound() {
		synchronized (this) {
			this.next = null;
		}
		try {
			settleNow();
		}
		finally {
			synchronized (this) {
				scheduleNext();
			}
		}
	}

	/**
	 * A connect whose outcome is in doubt.
	 *
	 * @param tenantKey the tenant that connected
	 * @param token the token that may or may not be stored
	 * @param userName who connected
	 * @param restoring whether the account needed a reconnect before the connect
	 */
	record Unsettled(String tenantKey, XrefTokenResponse token, String userName, boolean restoring) {

	}

}
