package io.github.xrefoauth.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.util.Assert;

/**
 * {@link XrefAccountStore} that keeps connections in memory: they are lost when the
 * application stops.
 * <p>
 * Reads take no lock, so that concurrent API calls do not wait for each other; writes
 * take one lock. A write stores an account before it links a tenant to it and removes the
 * links before the account, so that a read during a write finds the connection as it was
 * before the write or after it.
 *
 * @since 0.1.0
 */
public final class InMemoryXrefAccountStore implements XrefAccountStore, XrefAccountCounts {

	private final Map<String, XrefConnection> accounts = new ConcurrentHashMap<>();

	private final Map<String, String> tenantAccounts = new ConcurrentHashMap<>();

	/** Tenants by account, read and written only under the write lock. */
	private final Map<String, Set<String>> accountTenants = new HashMap<>();

	/** Accounts by token, read and written only under the write lock. */
	private final Map<String, String> tokenAccounts = new HashMap<>();

	private final ReentrantLock writeLock = new ReentrantLock();

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		replace(tenantKey, connection);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The connection is replaced, and an account that the tenant left is deleted once no
	 * tenant is linked to it, under the write lock.
	 */
	@Override
	public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		Assert.hasText(tenantKey, "tenantKey cannot be empty");
		Assert.notNull(connection, "connection cannot be null");
		String accountId = connection.xrefAccountId();
		this.writeLock.lock();
		try {
			XrefConnection replaced = this.accounts.put(accountId, connection);
			if (replaced != null) {
				this.tokenAccounts.remove(replaced.accessToken(), accountId);
			}
			this.tokenAccounts.put(connection.accessToken(), accountId);
			// The account exists before the tenant is linked to it, so that a read never
			// finds a link without its account.
			String previousAccount = this.tenantAccounts.put(tenantKey, accountId);
			this.accountTenants.computeIfAbsent(accountId, (id) -> new HashSet<>()).add(tenantKey);
			List<XrefConnection> ended = new ArrayList<>(2);
			if (replaced != null) {
				ended.add(replaced);
			}
			if (previousAccount != null && !previousAccount.equals(accountId)) {
				Set<String> tenants = this.accountTenants.get(previousAccount);
				tenants.remove(tenantKey);
				XrefConnection left = this.accounts.get(previousAccount);
				if (tenants.isEmpty() && left != null && delete(previousAccount)) {
					ended.add(left);
				}
			}
			return List.copyOf(ended);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		String accountId = this.tenantAccounts.get(tenantKey);
		while (accountId != null) {
			XrefConnection connection = this.accounts.get(accountId);
			if (connection != null) {
				return Optional.of(connection);
			}
			// A link never outlives its account, so the link moved since it was read:
			// follow it rather than report a connected tenant as not connected.
			accountId = this.tenantAccounts.get(tenantKey);
		}
		return Optional.empty();
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return Optional.ofNullable(this.accounts.get(xrefAccountId));
	}

	@Override
	public boolean deleteAccount(String xrefAccountId) {
		this.writeLock.lock();
		try {
			return delete(xrefAccountId);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public long countAccounts() {
		return this.accounts.size();
	}

	@Override
	public long countTenants() {
		return this.tenantAccounts.size();
	}

	@Override
	public boolean deleteByAccessToken(String accessToken) {
		this.writeLock.lock();
		try {
			String accountId = this.tokenAccounts.get(accessToken);
			return accountId != null && delete(accountId);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private boolean delete(String accountId) {
		Set<String> tenants = this.accountTenants.remove(accountId);
		if (tenants != null) {
			tenants.forEach((tenantKey) -> this.tenantAccounts.remove(tenantKey, accountId));
		}
		XrefConnection removed = this.accounts.remove(accountId);
		if (removed == null) {
			return false;
		}
		this.tokenAccounts.remove(removed.accessToken(), accountId);
		return true;
	}

}
