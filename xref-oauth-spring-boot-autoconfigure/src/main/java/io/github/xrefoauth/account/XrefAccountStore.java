package io.github.xrefoauth.account;

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
	 * connection of the same account that it replaced. A connect revokes the token of the
	 * returned connection once the write is done, so the answer must be exact: an
	 * implementation reads the replaced connection in the same atomic step as the write
	 * (in a database, inside the write's transaction with a locking read or the
	 * statement's returning clause), never from a cache, so that a concurrent write of
	 * the same account, on this instance or another, is either replaced and returned or
	 * replaces this one.
	 * <p>
	 * The default reads {@link #findByAccount(String)} before it saves: a concurrent
	 * write between the two, or a cached read, makes it return an older connection than
	 * the one it replaced, whose token then stays valid at Xref; if that read fails,
	 * nothing is saved. Stores shared by several instances or written concurrently should
	 * override it.
	 * @param tenantKey the tenant that connected the account
	 * @param connection the connection to store
	 * @return the connection of the account that was replaced, or empty if the account
	 * had none
	 * @since 0.1.0
	 */
	default Optional<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		Optional<XrefConnection> replaced = findByAccount(connection.xrefAccountId());
		save(tenantKey, connection);
		return replaced;
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
	 * same account is left alone.
	 * @param accessToken the token that Xref no longer accepts
	 * @return whether an account held the token
	 */
	boolean deleteByAccessToken(String accessToken);

}
