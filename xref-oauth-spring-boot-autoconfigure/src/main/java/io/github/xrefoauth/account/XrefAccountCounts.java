package io.github.xrefoauth.account;

import java.time.Instant;

/**
 * Counts what an {@link XrefAccountStore} holds, for operations views. Optional: a store
 * that does not implement it is shown without counts.
 *
 * @since 0.1.0
 */
public interface XrefAccountCounts {

	/**
	 * Counts the connected Xref accounts.
	 * @return the number of accounts with a stored token
	 */
	long countAccounts();

	/**
	 * Counts the tenants linked to a connected account.
	 * @return the number of linked tenants
	 */
	long countTenants();

	/**
	 * Counts the Xref accounts whose token Xref rejected, kept without their token until
	 * a reconnect.
	 * @return the number of accounts that need a reconnect
	 * @since 0.1.0
	 */
	default long countAccountsToReconnect() {
		return 0;
	}

	/**
	 * Counts the connections that {@link XrefAccountStore#claimForCheck} claimed after
	 * the given instant, whichever instance claimed them: the health check of each
	 * instance claims only what the others left of a tick's share.
	 * <p>
	 * The default counts none: each instance then claims a full share per tick.
	 * @param after the instant, excluded
	 * @return the number of connections last claimed after it
	 * @since 0.1.0
	 */
	default long countClaimedForCheckAfter(Instant after) {
		return 0;
	}

}
