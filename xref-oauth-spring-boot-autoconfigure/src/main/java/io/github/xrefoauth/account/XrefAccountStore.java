package io.github.xrefoauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores one token per Xref account and links tenants to accounts. A tenant reaches at
 * most one account; an account may be linked to several tenants.
 * <p>
 * Implementations are thread-safe and never leave a half-written connection behind.
 *
 * @since 0.1.0
 */
public interface XrefAccountStore {

	/**
	 * Stores the connection, replacing any earlier token of the same account, and links
	 * the tenant to the account.
	 * @param tenantKey the tenant that connected the account
	 * @param connection the connection to store
	 */
	void save(String tenantKey, XrefConnection connection);

	/**
	 * Stores the connection like {@link #save(String, XrefConnection)} and returns the
	 * connections that the write ended, whose tokens no store holds any more: the earlier
	 * connection of the same account, if any, and the connection of the account the
	 * tenant was linked to before, if the write left no tenant linked to that account
	 * (the write deletes it). A connect revokes each returned token once the write is
	 * done, so the answer must be exact: an implementation reads what it ends in the same
	 * atomic step as the write (in a database, inside the write's transaction with a
	 * locking read or the statement's returning clause), never from a cache, so that a
	 * concurrent write of the same account, on this instance or another, is either ended
	 * and returned or ends this one.
	 * <p>
	 * The default reads {@link #findByAccount(String)} before it saves and returns only
	 * the connection of the same account: a concurrent write between the two, or a cached
	 * read, makes it return an older connection than the one it replaced, whose token
	 * then stays valid at Xref; an account that the tenant left stays stored; if the read
	 * fails, nothing is saved. Stores shared by several instances or written concurrently
	 * should override it.
	 * @param tenantKey the tenant that connected the account
	 * @param connection the connection to store
	 * @return the ended connections: the replaced connection of the account first, then
	 * the account the tenant left; empty if the write ended none
	 * @since 0.1.0
	 */
	default List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		Optional<XrefConnection> replaced = findByAccount(connection.xrefAccountId());
		save(tenantKey, connection);
		return replaced.stream().toList();
	}

	/**
	 * Finds the account a tenant is linked to.
	 * @param tenantKey the tenant
	 * @return the connection, or empty if the tenant has none
	 */
	Optional<XrefConnection> findByTenant(String tenantKey);

	/**
	 * Finds an account by its Xref id.
	 * @param xrefAccountId the Xref account
	 * @return the connection, or empty if the account is not connected
	 */
	Optional<XrefConnection> findByAccount(String xrefAccountId);

	/**
	 * Forgets an account's token and every tenant link to it.
	 * @param xrefAccountId the Xref account
	 * @return whether the account was connected
	 */
	boolean deleteAccount(String xrefAccountId);

	/**
	 * Forgets the account that holds exactly this token, if any. A newer token of the
	 * same account is left alone. After this method returns, whatever it returns, the
	 * store's finds do not return this token from a cache (a call that Xref rejected
	 * looks its account up again right after, to be sent once more with the newer token).
	 * @param accessToken the token that Xref no longer accepts
	 * @return whether an account held the token
	 */
	boolean deleteByAccessToken(String accessToken);

	/**
	 * Forgets the token that Xref rejected ({@code 401}) and keeps the account's record
	 * without it: {@link #status(String)} then reports
	 * {@link XrefConnectionStatus.State#RECONNECT_NEEDED} for every tenant linked to the
	 * account, with who connected it and when, until a reconnect ({@link #replace})
	 * stores a new token or {@link #deleteAccount(String)} removes the record. The finds
	 * no longer return the connection. Like {@link #deleteByAccessToken(String)}, a newer
	 * token of the same account is left alone, and once it returns no find of this store
	 * returns the rejected token from a cache.
	 * <p>
	 * The default forgets the account with {@link #deleteByAccessToken(String)} and keeps
	 * no record.
	 * @param connection the connection whose token Xref rejected
	 * @param rejectedAt when Xref rejected it
	 * @param rejectedBy which call found it
	 * @return whether the account held exactly this token
	 * @since 0.1.0
	 */
	default boolean reject(XrefConnection connection, Instant rejectedAt, XrefConnectionStatus.RejectedBy rejectedBy) {
		return deleteByAccessToken(connection.accessToken());
	}

	/**
	 * Removes the record of an account whose token Xref {@link #reject rejected}, with
	 * every tenant link to it: what a disconnect or forget of a connection that needs a
	 * reconnect does. An account that holds a token, stored by a reconnect meanwhile, is
	 * left alone.
	 * <p>
	 * The default removes the record with {@link #deleteAccount(String)} if
	 * {@link #findByAccount(String)} finds no token for the account; the two calls are
	 * not atomic, so a store that keeps rejected records should override it.
	 * @param xrefAccountId the Xref account
	 * @return whether the account needed a reconnect and was removed
	 * @since 0.1.0
	 */
	default boolean deleteRejected(String xrefAccountId) {
		return findByAccount(xrefAccountId).isEmpty() && deleteAccount(xrefAccountId);
	}

	/**
	 * Returns the state of a tenant's connection.
	 * <p>
	 * The default reads {@link #findByTenant(String)}: connected or not connected.
	 * @param tenantKey the tenant
	 * @return the status
	 * @since 0.1.0
	 */
	default XrefConnectionStatus status(String tenantKey) {
		return findByTenant(tenantKey).map(XrefConnectionStatus::connected)
			.orElseGet(XrefConnectionStatus::notConnected);
	}

	/**
	 * Returns the tenants linked to an account, connected or needing a reconnect: the
	 * tenants whose connection a change of the account affects.
	 * <p>
	 * The default returns none.
	 * @param xrefAccountId the Xref account
	 * @return the tenant keys, in no particular order
	 * @since 0.1.0
	 */
	default List<String> findTenants(String xrefAccountId) {
		return List.of();
	}

	/**
	 * Claims connections for the health check: returns up to {@code limit} connections
	 * (with their tokens) that were last claimed at or before {@code now} minus
	 * {@code interval}, or never, and marks them claimed at {@code now}. Claims are
	 * atomic: of several instances that claim at once, each gets other connections (in a
	 * database: a locking read that skips locked rows).
	 * <p>
	 * The default claims none: the health check then checks nothing.
	 * @param now the time of the claim
	 * @param interval how long a claim lasts
	 * @param limit the most connections to return
	 * @return the claimed connections
	 * @since 0.1.0
	 */
	default List<XrefConnection> claimForCheck(Instant now, Duration interval, int limit) {
		return List.of();
	}

}
