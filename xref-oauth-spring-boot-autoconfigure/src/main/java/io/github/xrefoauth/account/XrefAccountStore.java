package io.github.xrefoauth.account;

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

}
