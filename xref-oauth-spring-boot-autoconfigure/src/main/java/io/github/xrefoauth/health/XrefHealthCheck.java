package io.github.xrefoauth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.health.HealthCheckRounds.Outcome;
import io.github.xrefoauth.internal.RateLimitedWarnings;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Verifies every stored connection's token at Xref ({@code POST /auth}) about once per
 * interval. A tick every {@link #getTickPeriod() tick period} claims a share of the
 * connections from the store ({@link XrefAccountStore#claimForCheck}), so the checks are
 * spread over the interval and several instances sharing one store check each connection
 * once per round between them. Calls are paced to at most the maximum rate.
 * <p>
 * The connections due since this instance's previous tick are
 * {@code ceil(N × elapsed / interval)} of the {@code N} connections the store
 * {@link XrefAccountCounts#countAccounts() counts}, for all instances together, with no
 * leader: before it claims, a tick {@link XrefAccountCounts#countClaimedForCheckAfter
 * counts} the connections claimed since its previous tick, which are the other instances'
 * claims, and claims only the rest, at most what the maximum rate allows in a tick
 * period. One instance thus claims what the time since its previous tick is due, however
 * long its checks took; with several, whichever ticks first claims and the others take
 * what it leaves, so that a round spans the interval. The split is approximate: two
 * instances that count at the same moment both claim, and the instances' clocks stamp the
 * claims.
 * <p>
 * Only a {@code 401} marks a connection broken: the store {@link XrefAccountStore#reject
 * rejects} it and, if it held that token, an {@link XrefRevokedEvent} names every linked
 * tenant. Any other answer or failure counts as failed to check, and the connection is
 * checked again next round; a {@code 429} pauses the check for the wait Xref asked for.
 * <p>
 * Runs on one daemon thread between {@link #start()} and {@link #stop()}, a tick every
 * tick period (or at once after a tick that took longer). {@link #checkNow()} runs a
 * round at once, on that thread, between two ticks.
 *
 * @since 0.1.0
 */
public final class XrefHealthCheck implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(XrefHealthCheck.class);

	private static final Duration MIN_TICK = Duration.ofSeconds(1);

	private static final Duration MAX_TICK = Duration.ofMinutes(1);

	private static final int TICKS_PER_ROUND = 100;

	private final XrefAccountStore accountStore;

	private final ConnectionCheck check;

	private final Duration interval;

	private final double maxRate;

	private final Duration tickPeriod;

	private final HealthCheckRounds rounds;

	private final Object lifecycleMonitor = new Object();

	private final RateLimitedWarnings<String> tickWarnings = new RateLimitedWarnings<>(Duration.ofMinutes(1),
			Clock.systemUTC());

	private Clock clock = Clock.systemUTC();

	private Sleeper sleeper = (duration) -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

	private @Nullable ScheduledExecutorService executor;

	/** The connections counted at the start of the round, {@code -1} until counted. */
	private long accounts = -1;

	private @Nullable Instant lastTickAt;

	private @Nullable Instant pausedUntil;

	private @Nullable Instant nextCallAt;

	private final Set<CompletableFuture<Round>> pending = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a health check.
	 * @param accountStore the store that holds the connections and shares them out
	 * @param restClient a client whose base URL is the Xref API, that adds no token of
	 * its own and follows no redirect; its calls should count against the same bound as
	 * every other call to Xref
	 * @param interval how often each connection is checked
	 * @param maxRate the most calls per second
	 */
	public XrefHealthCheck(XrefAccountStore accountStore, RestClient restClient, Duration interval, double maxRate) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(interval, "interval cannot be null");
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "interval must be positive");
		Assert.isTrue(maxRate > 0 && Double.isFinite(maxRate), "maxRate must be positive and finite");
		this.accountStore = accountStore;
		this.check = new ConnectionCheck(accountStore, new HealthCheckCall(restClient));
		this.interval = interval;
		this.maxRate = maxRate;
		this.tickPeriod = tickPeriod(interval);
		this.rounds = new HealthCheckRounds(interval);
	}

	private static Duration tickPeriod(Duration interval) {
		Duration tick = interval.dividedBy(TICKS_PER_ROUND);
		tick = (tick.compareTo(MIN_TICK) < 0) ? MIN_TICK : (tick.compareTo(MAX_TICK) > 0) ? MAX_TICK : tick;
		return (tick.compareTo(interval) > 0) ? interval : tick;
	}

	/**
	 * Sets the publisher of {@link XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.check.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Sets the registry of the {@code xref.health.check} observation, one per check.
	 * Defaults to {@link ObservationRegistry#NOOP}.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.check.setObservationRegistry(observationRegistry);
	}

	void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		this.check.setClock(clock);
	}

	void setSleeper(Sleeper sleeper) {
		Assert.notNull(sleeper, "sleeper cannot be null");
		this.sleeper = sleeper;
	}

	/**
	 * Returns how often each connection is checked.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.interval;
	}

	/**
	 * Returns the most calls to Xref per second.
	 * @return the rate
	 */
	public double getMaxRate() {
		return this.maxRate;
	}

	/**
	 * Returns the time between two ticks: a hundredth of the interval, at least a second
	 * and at most a minute.
	 * @return the tick period
	 */
	public Duration getTickPeriod() {
		return this.tickPeriod;
	}

	/**
	 * Returns the last scheduled round that ended (a round of {@link #checkNow()} is not
	 * one).
	 * @return the round, or {@code null} before the first round ended
	 */
	public @Nullable Round getLastRound() {
		return this.rounds.last();
	}

	/**
	 * Returns the round in progress.
	 * @return the round, with no end, or {@code null} before the first tick
	 */
	public @Nullable Round getCurrentRound() {
		return this.rounds.current();
	}

	/**
	 * Returns the outcomes of every check since start-up.
	 * @return the totals
	 */
	public Totals getTotals() {
		return this.rounds.totals();
	}

	/**
	 * Claims this tick's share of connections and checks them, unless a {@code 429}
	 * paused the check.
	 */
	void tick() {
		Instant now = this.clock.instant();
		if (paused(now)) {
			return;
		}
		if (this.rounds.roll(now)) {
			this.accounts = -1;
		}
		if (this.accounts < 0) {
			// Counted again next tick if the count fails.
			this.accounts = countAccounts();
		}
		Instant since = (this.lastTickAt != null) ? this.lastTickAt : now.minus(this.tickPeriod);
		int limit = limit(now, since);
		this.lastTickAt = now;
		if (limit == 0) {
			return;
		}
		List<XrefConnection> claimed = this.accountStore.claimForCheck(now, this.interval, limit);
		checkAll(claimed, (outcome, count) -> this.rounds.add(outcome, count));
	}

	/**
	 * Checks every stored connection now, on the health check's thread, paced to the
	 * maximum rate, and completes with that round's outcomes.
	 * <p>
	 * Claims, in batches of what the maximum rate allows in a tick, every connection that
	 * was not claimed at this instant, until a claim returns none; each is checked as a
	 * tick checks it: a {@code 401} marks it broken and publishes an
	 * {@link XrefRevokedEvent}. Its checks count in the {@link #getTotals() totals}, not
	 * in the scheduled {@link #getCurrentRound() round}; a connection checked now is
	 * claimed for an interval, so the scheduled ticks leave it until then. A {@code 429}
	 * ends it early, with the rest of the batch counted as failed, and pauses the
	 * scheduled ticks too. Runs between two ticks, never during one; a call while a round
	 * run now is under way returns that round's future.
	 * @return the outcomes of the checks, or a future that fails with
	 * {@link IllegalStateException} if the health check is not running (or stops before
	 * it is done), with {@link XrefRateLimitedException} if Xref's wait after a
	 * {@code 429} is not over, or with the store's exception
	 * @since 0.1.0
	 */
	public CompletableFuture<Round> checkNow() {
		CompletableFuture<Round> result = new CompletableFuture<>();
		synchronized (this.lifecycleMonitor) {
			ScheduledExecutorService executor = this.executor;
			if (executor == null) {
				result.completeExceptionally(new IllegalStateException("The Xref health check is not running"));
				return result;
			}
			CompletableFuture<Round> underWay = this.pending.stream().findAny().orElse(null);
			if (underWay != null) {
				return underWay;
			}
			this.pending.add(result);
			result.whenComplete((round, ex) -> this.pending.remove(result));
			executor.execute(() -> runNow(result));
		}
		return result;
	}

	private void runNow(CompletableFuture<Round> result) {
		try {
			Instant now = this.clock.instant();
			Instant paused = this.pausedUntil;
			if (paused != null && paused(now)) {
				result.completeExceptionally(
						new XrefRateLimitedException("POST /auth", null, Duration.between(now, paused)));
				return;
			}
			HealthCheckRounds.Counts counts = new HealthCheckRounds.Counts(now);
			int batch = byRate();
			// A claim marks its connections claimed at now; claiming only those claimed
			// a millisecond or more before now leaves them, so that the batches end.
			List<XrefConnection> claimed = this.accountStore.claimForCheck(now, Duration.ofMillis(1), batch);
			while (!claimed.isEmpty()
					&& checkAll(claimed, (outcome, count) -> this.rounds.add(counts, outcome, count))) {
				claimed = this.accountStore.claimForCheck(now, Duration.ofMillis(1), batch);
			}
			if (Thread.currentThread().isInterrupted()) {
				result.completeExceptionally(new IllegalStateException("The Xref health check stopped"));
				return;
			}
			result.complete(counts.round(this.clock.instant()));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
		}
	}

	private boolean paused(Instant now) {
		Instant paused = this.pausedUntil;
		if (paused != null && now.isBefore(paused)) {
			return true;
		}
		this.pausedUntil = null;
		return false;
	}

	/**
	 * Checks the claimed connections one after the other, paced to the maximum rate.
	 * @return {@code false} if Xref asked to wait or the thread was interrupted: the rest
	 * of the connections are counted as failed and left for the next round
	 */
	private boolean checkAll(List<XrefConnection> claimed, Tally tally) {
		for (int i = 0; i < claimed.size(); i++) {
			// Stopped: shutdownNow interrupts the thread, which a call may not notice.
			boolean go = !Thread.currentThread().isInterrupted() && pace();
			Outcome outcome = go ? check(claimed.get(i)) : null;
			if (outcome == null) {
				tally.add(Outcome.FAILED, claimed.size() - i);
				return false;
			}
			tally.add(outcome, 1);
		}
		return true;
	}

	/**
	 * The connections the store counts; none if it cannot count, and then each tick
	 * claims what the maximum rate allows.
	 */
	private long countAccounts() {
		return (this.accountStore instanceof XrefAccountCounts counts) ? counts.countAccounts() : 0;
	}

	/**
	 * The connections this tick claims: those due in the time since this instance's
	 * previous tick (at most an interval's worth, at least one), less what the other
	 * instances claimed since then, at most what the maximum rate allows in a tick.
	 */
	private int limit(Instant now, Instant since) {
		if (!(this.accountStore instanceof XrefAccountCounts counts)) {
			return byRate();
		}
		long elapsed = Math.min(Math.max(0, Duration.between(since, now).toMillis()), this.interval.toMillis());
		long due = Math.max(1, (long) Math.ceil((double) this.accounts * elapsed / this.interval.toMillis()));
		long claimedByOthers = counts.countClaimedForCheckAfter(since);
		return (int) Math.min(byRate(), Math.max(0, due - claimedByOthers));
	}

	/**
	 * The connections that the maximum rate allows in a tick.
	 */
	private int byRate() {
		return (int) Math.min(Integer.MAX_VALUE,
				Math.max(1, (long) Math.floor(this.maxRate * this.tickPeriod.toMillis() / 1000.0)));
	}

	/**
	 * Waits until the next call keeps within the maximum rate.
	 * @return {@code false} if the thread was interrupted
	 */
	private boolean pace() {
		Instant now = this.clock.instant();
		Instant next = this.nextCallAt;
		Instant start = (next != null && next.isAfter(now)) ? next : now;
		this.nextCallAt = start.plusNanos((long) (1_000_000_000L / this.maxRate));
		if (start.isAfter(now)) {
			try {
				this.sleeper.sleep(Duration.between(now, start));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * Checks one connection; a {@code 429} pauses the check for the wait Xref asked for.
	 * @return the outcome, or {@code null} if Xref asked to wait: the rest of the claimed
	 * connections are left for the next round
	 */
	private @Nullable Outcome check(XrefConnection connection) {
		ConnectionCheck.Checked checked = this.check.check(connection);
		Duration retryAfter = checked.retryAfter();
		if (retryAfter == null) {
			return checked.outcome();
		}
		this.pausedUntil = this.clock.instant().plus(retryAfter);
		logger.warn("Xref limits the rate of calls; the health check pauses for "
				+ Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
		return null;
	}

	private void tickSafely() {
		try {
			tick();
		}
		catch (RuntimeException ex) {
			long heldBack = this.tickWarnings.acquire("tick");
			if (heldBack >= 0) {
				logger.warn("Xref health check tick failed; trying again next tick"
						+ RateLimitedWarnings.heldBack(heldBack), ex);
			}
		}
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.executor != null) {
				return;
			}
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "xref-health-check");
				thread.setDaemon(true);
				return thread;
			});
			long period = this.tickPeriod.toMillis();
			// At a fixed rate: a tick whose checks took a whole period is followed at
			// once.
			executor.scheduleAtFixedRate(this::tickSafely, period, period, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this.lifecycleMonitor) {
			executor = this.executor;
			this.executor = null;
		}
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (CompletableFuture<Round> result : List.copyOf(this.pending)) {
			result.completeExceptionally(new IllegalStateException("The Xref health check stopped"));
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lifecycleMonitor) {
			return this.executor != null;
		}
	}

	/**
	 * One round of the health check: every connection checked once.
	 *
	 * @param startedAt when its first tick ran
	 * @param endedAt when the next round started, or {@code null} while in progress
	 * @param checked connections whose token Xref accepted or rejected
	 * @param broken connections among them that Xref rejected ({@code 401}) and that the
	 * store marked as needing a reconnect
	 * @param failed claimed connections that could not be checked: no answer, an answer
	 * that was neither accepted nor a {@code 401}, or a {@code 429}
	 * @since 0.1.0
	 */
	public record Round(Instant startedAt, @Nullable Instant endedAt, long checked, long broken, long failed) {

	}

	/**
	 * The outcomes of every check since start-up.
	 *
	 * @param checked connections whose token Xref accepted or rejected
	 * @param broken connections that Xref rejected and the store marked
	 * @param failed connections that could not be checked
	 * @since 0.1.0
	 */
	public record Totals(long checked, long broken, long failed) {

	}

	/**
	 * Counts outcomes of checks.
	 */
	@FunctionalInterface
	private interface Tally {

		void add(Outcome outcome, int count);

	}

	/**
	 * Waits between calls; replaced in tests.
	 */
	@FunctionalInterface
	interface Sleeper {

		void sleep(Duration duration) throws InterruptedException;

	}

}
