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
 * The rules of pending connects (the requests sent to Xref, kept per state until the
 * callback), independent of the web stack and of where they are kept: a request expires
 * after a time to live, is found only by the end user who started it, and a browser and
 * an end user each keep at most a number of them, the oldest dropped beyond.
 * <p>
 * Every repository of either web stack applies one of these objects: the session-backed
 * ones to the map a session holds (a session is one browser; its entries are trimmed
 * here), and the JDBC ones through
 * {@code io.github.xrefoauth.jdbc.JdbcXrefPendingRequests}, which applies the same time
 * to live, clock and bounds to the rows of {@code xref_authorization_request} in SQL. The
 * bound per end user counts over all browsers, so only a store shared by all browsers,
 * the JDBC table, can apply it.
 *
 * @since 0.1.0
 */
public final class XrefPendingRequestRules {

	/**
	 * Longest state a pending request may have: the JDBC schemas hold 255 characters.
	 */
	private static final int MAX_STATE_LENGTH = 255;

	private Duration timeToLive = Duration.ofMinutes(10);

	private int maxPendingPerBrowser = 10;

	private int maxPendingPerEndUser = 20;

	private Clock clock = Clock.systemUTC();

	/**
	 * Returns the current instant of the clock, the creation time of a new request.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * Returns how long a connect may take from the redirect to Xref to the callback.
	 * @return the time to live of a pending request
	 */
	public Duration getTimeToLive() {
		return this.timeToLive;
	}

	/**
	 * Returns how many connects one browser may have pending.
	 * @return the maximum number of pending requests per browser
	 */
	public int getMaxPendingPerBrowser() {
		return this.maxPendingPerBrowser;
	}

	/**
	 * Returns how many connects one end user may have pending, over all browsers.
	 * @return the maximum number of pending requests per end user
	 */
	public int getMaxPendingPerEndUser() {
		return this.maxPendingPerEndUser;
	}

	/**
	 * Returns whether a state can be that of a pending request: not empty, at most 255
	 * characters, none of them a control character. Repositories treat any other state,
	 * such as a callback's {@code state=%00}, as unknown without looking it up, so that
	 * it never reaches a store (PostgreSQL rejects a NUL character with an error).
	 * @param state the state
	 * @return whether a pending request may have this state
	 */
	public static boolean isPossibleState(String state) {
		if (state.isEmpty() || state.length() > MAX_STATE_LENGTH) {
			return false;
		}
		for (int i = 0; i < state.length(); i++) {
			if (Character.isISOControl(state.charAt(i))) {
				return false;
			}
		}
		return true;
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
	 * Adds an entry to the map of one browser, after dropping the expired ones, and then
	 * drops the oldest beyond the maximum per browser. The map must keep insertion order.
	 * @param <E> the type of entry
	 * @param pending the entries by state
	 * @param state the state of the added entry
	 * @param added the added entry
	 */
	public <E extends Entry> void add(Map<String, E> pending, String state, E added) {
		pending.values().removeIf(this::isExpired);
		pending.put(state, added);
		while (pending.size() > this.maxPendingPerBrowser) {
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
	 * Sets how many connects one browser (one session, or one binding cookie) may have
	 * pending; beyond that the oldest are dropped. Defaults to 10.
	 * @param maxPendingPerBrowser the maximum number of pending requests per browser
	 */
	public void setMaxPendingPerBrowser(int maxPendingPerBrowser) {
		Assert.isTrue(maxPendingPerBrowser > 0, "maxPendingPerBrowser must be positive");
		this.maxPendingPerBrowser = maxPendingPerBrowser;
	}

	/**
	 * Sets how many connects one end user may have pending, over all browsers; beyond
	 * that the oldest are dropped. Applied by the JDBC repositories, whose table all
	 * browsers share. Defaults to 20.
	 * @param maxPendingPerEndUser the maximum number of pending requests per end user
	 */
	public void setMaxPendingPerEndUser(int maxPendingPerEndUser) {
		Assert.isTrue(maxPendingPerEndUser > 0, "maxPendingPerEndUser must be positive");
		this.maxPendingPerEndUser = maxPendingPerEndUser;
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
