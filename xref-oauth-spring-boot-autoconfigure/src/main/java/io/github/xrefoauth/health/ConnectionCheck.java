package io.github.xrefoauth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.health.HealthCheckRounds.Outcome;
import io.github.xrefoauth.internal.XrefObservations;
import io.github.xrefoauth.observation.DefaultXrefObservationConvention;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * One check of one connection, as an {@code xref.health.check} observation: Xref's answer
 * to its token ({@link HealthCheckCall}) and, on a {@code 401}, the rejection in the
 * store with one {@link XrefRevokedEvent} naming every linked tenant.
 */
final class ConnectionCheck {

	/** Logs as the health check, the class that applications configure logging for. */
	private static final Log logger = LogFactory.getLog(XrefHealthCheck.class);

	private final XrefAccountStore accountStore;

	private final HealthCheckCall call;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private XrefObservations observations = new XrefObservations(ObservationRegistry.NOOP);

	private Clock clock = Clock.systemUTC();

	ConnectionCheck(XrefAccountStore accountStore, HealthCheckCall call) {
		this.accountStore = accountStore;
		this.call = call;
	}

	void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "observationRegistry cannot be null");
		this.observations = new XrefObservations(observationRegistry);
	}

	void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Checks one connection.
	 * @param connection the connection
	 * @return what the check came to
	 */
	Checked check(XrefConnection connection) {
		return this.observations.observe(XrefObservationDocumentation.HEALTH_CHECK, () -> checkObserved(connection),
				Checked::reason);
	}

	private Checked checkObserved(XrefConnection connection) {
		boolean accepted;
		try {
			accepted = this.call.accepted(connection);
		}
		catch (XrefRateLimitedException ex) {
			return new Checked(Outcome.FAILED, reason(ex), ex.getRetryAfter());
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not check Xref account " + connection.xrefAccountId() + ": " + reason(ex));
			}
			return new Checked(Outcome.FAILED, reason(ex), null);
		}
		if (accepted) {
			return new Checked(Outcome.VALID, null, null);
		}
		try {
			return rejected(connection)
					? new Checked(Outcome.BROKEN, DefaultXrefObservationConvention.TOKEN_REJECTED, null)
					: new Checked(Outcome.REJECTED_ELSEWHERE, null, null);
		}
		catch (RuntimeException ex) {
			// The type only: a driver's message may carry stored values.
			logger.warn("Could not mark Xref account " + connection.xrefAccountId() + " as rejected: " + reason(ex));
			return new Checked(Outcome.FAILED, reason(ex), null);
		}
	}

	private boolean rejected(XrefConnection connection) {
		List<String> tenants = this.accountStore.findTenants(connection.xrefAccountId());
		Instant now = this.clock.instant();
		if (!this.accountStore.reject(connection, now, RejectedBy.HEALTH_CHECK)) {
			return false;
		}
		logger.info("Xref rejected the token of account " + connection.xrefAccountId()
				+ "; it needs a reconnect (found by the health check)");
		// No caller's tenant: a linked one, as for any call made outside a request.
		String tenantKey = tenants.isEmpty() ? null : tenants.get(0);
		this.eventPublisher.publishEvent(new XrefRevokedEvent(tenantKey, connection.xrefAccountId(), null, now, tenants,
				RejectedBy.HEALTH_CHECK));
		return true;
	}

	private static String reason(RuntimeException ex) {
		return ex.getClass().getSimpleName();
	}

	/**
	 * What one check came to, and the reason its observation records.
	 *
	 * @param outcome the outcome
	 * @param reason the reason, {@code null} if the connection is fine
	 * @param retryAfter how long Xref asked to wait ({@code 429}), or {@code null}
	 */
	record Checked(Outcome outcome, @Nullable String reason, @Nullable Duration retryAfter) {

	}

}
