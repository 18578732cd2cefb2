package io.github.xrefoauth.internal;

import java.time.Clock;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Publishes the starter's events once what they report is committed: at once, or, when
 * the change ran inside a transaction of the application, after that transaction commits
 * (never after a rollback).
 * <p>
 * A listener that throws is logged (its exception type only) and does not fail the
 * request that made the change: the change has happened either way. Since any client can
 * cause some events (a forged callback, a webhook), the warning is logged at most once a
 * minute per event type, with the count of those held back.
 *
 * @since 0.1.0
 */
public final class XrefEventPublisher implements ApplicationEventPublisher {

	private static final Log logger = LogFactory.getLog(XrefEventPublisher.class);

	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			XrefEventPublisher.class.getClassLoader());

	private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

	private final ApplicationEventPublisher delegate;

	private RateLimitedWarnings<Class<?>> listenerWarnings = new RateLimitedWarnings<>(WARNING_INTERVAL,
			Clock.systemUTC());

	/**
	 * Creates a publisher.
	 * @param delegate the publisher that delivers events, usually the application context
	 */
	public XrefEventPublisher(ApplicationEventPublisher delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public void publishEvent(Object event) {
		Assert.notNull(event, "event cannot be null");
		if (TRANSACTIONS_PRESENT && AfterCommit.defer(() -> deliver(event))) {
			return;
		}
		deliver(event);
	}

	private void deliver(Object event) {
		try {
			this.delegate.publishEvent(event);
		}
		catch (RuntimeException ex) {
			long heldBack = this.listenerWarnings.acquire(event.getClass());
			if (heldBack >= 0) {
				logger.warn("A listener of " + event.getClass().getSimpleName() + " failed: "
						+ ex.getClass().getSimpleName() + RateLimitedWarnings.heldBack(heldBack));
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("A listener of " + event.getClass().getSimpleName() + " failed: "
						+ ex.getClass().getSimpleName());
			}
		}
	}

	/**
	 * Sets the clock that spaces the warnings about failing listeners, which start
	 * afresh.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.listenerWarnings = new RateLimitedWarnings<>(WARNING_INTERVAL, clock);
	}

	/**
	 * Kept apart so that spring-tx is loaded only when present.
	 */
	private static final class AfterCommit {

		static boolean defer(Runnable action) {
			if (!TransactionSynchronizationManager.isSynchronizationActive()) {
				return false;
			}
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					action.run();
				}

			});
			return true;
		}

	}

}
