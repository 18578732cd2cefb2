package io.github.xrefoauth.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link AccountChangeFeed} on one daemon thread at a fixed delay, evicts what
 * it names from the {@link ConnectionCache}, and once a minute deletes old rows. A failed
 * read (the database is down) is logged at most once a minute and tried again at the next
 * interval.
 */
final class AccountChangePoller {

	static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

	private static final Log logger = LogFactory.getLog(JdbcXrefAccountStore.class);

	private static final Duration MIN_RETENTION = Duration.ofMinutes(5);

	private static final long PRUNE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final AccountChangeFeed feed;

	private final ConnectionCache cache;

	private volatile Duration interval = DEFAULT_INTERVAL;

	private @Nullable ScheduledExecutorService executor;

	private long lastRead;

	private boolean everRead;

	private long lastPrune;

	private boolean everPruned;

	private long lastFailureLogged;

	private boolean failed;

	AccountChangePoller(AccountChangeFeed feed, ConnectionCache cache) {
		this.feed = feed;
		this.cache = cache;
	}

	synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "xref-account-changes");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::pollLogged, 0, this.interval.toNanos(), TimeUnit.NANOSECONDS);
		this.executor = executor;
	}

	void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.executor;
			this.executor = null;
		}
		if (executor != null) {
			// A read under way ends normally, rather than on an interrupted connection.
			executor.shutdown();
			try {
				executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	synchronized boolean isRunning() {
		return this.executor != null;
	}

	void setInterval(Duration interval) {
		this.interval = interval;
	}

	/**
	 * Reads the feed once and evicts the keys it names.
	 */
	synchronized void poll() {
		if (!this.cache.isEnabled()) {
			return;
		}
		List<AccountChangeFeed.Change> changes = this.feed.read();
		long now = System.nanoTime();
		Duration retention = retention();
		if (this.everRead && now - this.lastRead > retention.toNanos() / 2) {
			// Rows this instance has not read may have been deleted meanwhile.
			this.cache.clear();
		}
		this.lastRead = now;
		this.everRead = true;
		for (AccountChangeFeed.Change change : changes) {
			this.cache.evictAccount(change.accountId());
			if (change.tenantKey() != null) {
				this.cache.evictTenant(change.tenantKey());
			}
		}
		if (!this.everPruned || now - this.lastPrune > PRUNE_EVERY_NANOS) {
			this.lastPrune = now;
			this.everPruned = true;
			this.feed.prune(retention);
		}
	}

	private Duration retention() {
		Duration timeToLive = this.cache.getTimeToLive();
		return (timeToLive.compareTo(MIN_RETENTION) > 0) ? timeToLive : MIN_RETENTION;
	}

	private void pollLogged() {
		try {
			poll();
			if (this.failed) {
				this.failed = false;
				logger.info("Reading the Xref account changes works again");
			}
		}
		catch (RuntimeException ex) {
			long now = System.nanoTime();
			if (!this.failed || now - this.lastFailureLogged > LOG_EVERY_NANOS) {
				this.lastFailureLogged = now;
				logger.warn("Cannot read the Xref account changes (logged at most once a minute); other instances'"
						+ " changes are seen once cached connections expire: " + ex.getMessage());
			}
			this.failed = true;
		}
	}

}
