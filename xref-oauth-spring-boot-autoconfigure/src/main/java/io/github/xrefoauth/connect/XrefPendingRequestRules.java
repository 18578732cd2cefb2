package io.github.xrefoauth.connect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;

/**
 * The rules for the pending requests that a session keeps per state, independent of the
 * web stack: a request expires after a time to live, a session keeps at most a number of
 * them (the oldest is dropped beyond), and a request is found only by the end user who
 * started it. The session-backed repositories of either web stack keep the map and apply
 * these rules to it.
 */
public final class XrefPendingRequestRules {

	private Duration timeToLive = Duration.ofMinutes(10);

	private int maxPendingRequests = 10;

	private Clock clock = Clock.systemUTC();

	/**
	 * Returns the current instant of the clock, the creation time of a new request.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * Returns the request of a pending entry if it is still live and was started by the
	 * given end user.
	 * @param pending the entry, or {@code null}
	 * @param principal the name of the signed-in end user, as the entry holds it
	 * @return the request, or {@code null}
	 */
	public @Nullable OAuth2AuthorizationRequest find(@Nullable Entry pending, @Nullable String principal) {
		return (pending != null && !isExpired(pending) && Objects.equals(pending.principal(), principal))
				? pending.request() : null;
	}

	/**
	 * Adds an entry to the map, after dropping the expired ones, and then drops the
	 * oldest beyond the maximum. The map must keep insertion order.
	 * @param <E> the type of entry
	 * @param pending the entries by state
	 * @param state the state of the added entry
	 * @param added the added entry
	 */
	public <E extends Entry> void add(Map<String, E> pending, String state, E added) {
		pending.values().removeIf(this::isExpired);
		pending.put(state, added);
		while (pending.size() > this.maxPendingRequests) {
			pending.remove(pending.keySet().iterator().next());
		}
	}

	/**
	 * Removes the entry of a state from the map if the given end user started it.
	 * @param <E> the type of entry
	 * @param pending the entries by state
	 * @param state the state
	 * @param principal the name of the signed-in end user, as the entry holds it
	 * @return the removed entry (perhaps expired), or {@code null} if none was removed
	 */
	public <E extends Entry> @Nullable E remove(Map<String, E> pending, String state, @Nullable String principal) {
		E candidate = pending.get(state);
		if (candidate == null || !Objects.equals(candidate.principal(), principal)) {
			return null;
		}
		pending.remove(state);
		return candidate;
	}

	/**
	 * Returns the request of a removed entry if it is still live.
	 * @param removed the removed entry, or {@code null}
	 * @return the request, or {@code null}
	 */
	public @Nullable OAuth2AuthorizationRequest live(@Nullable Entry removed) {
		return (removed != null && !isExpired(removed)) ? removed.request() : null;
	}

	/**
	 * Sets how long a connect may take from the redirect to Xref to the callback.
	 * Defaults to 10 minutes.
	 * @param timeToLive the time to live of a pending request
	 */
	public void setTimeToLive(Duration timeToLive) {
		Assert.isTrue(timeToLive != null && !timeToLive.isNegative() && !timeToLive.isZero(),
				"timeToLive must be positive");
		this.timeToLive = timeToLive;
	}

	/**
	 * Sets how many connects one session may have pending; the oldest is dropped beyond.
	 * Defaults to 10.
	 * @param maxPendingRequests the maximum number of pending requests per session
	 */
	public void setMaxPendingRequests(int maxPendingRequests) {
		Assert.isTrue(maxPendingRequests > 0, "maxPendingRequests must be positive");
		this.maxPendingRequests = maxPendingRequests;
	}

	/**
	 * Sets the clock that decides expiry.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	private boolean isExpired(Entry pending) {
		return !this.clock.instant().isBefore(pending.createdAt().plus(this.timeToLive));
	}

	/**
	 * A pending request as a session keeps it.
	 */
	public interface Entry {

		/**
		 * Returns the request sent to Xref.
		 * @return the request
		 */
		OAuth2AuthorizationRequest request();

		/**
		 * Returns when the request was sent.
		 * @return the creation time
		 */
		Instant createdAt();

		/**
		 * Returns the name of the end user who started the connect.
		 * @return the name, or {@code null} for none
		 */
		@Nullable String principal();

	}

}
