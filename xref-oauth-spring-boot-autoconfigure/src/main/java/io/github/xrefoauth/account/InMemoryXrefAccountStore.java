package io.github.xrefoauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>
 * An account whose token Xref {@link #reject rejected} keeps its tenant links and who
 * connected it when, without its token, until a reconnect or a disconnect.
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

	/**
	 * Accounts whose token Xref rejected, linked to their tenants still, read and written
	 * only under the write lock.
	 */
	private final Map<String, XrefConnectionStatus> rejectedAccounts = new HashMap<>();

	/** When the health check last claimed each account, only under the write lock. */
	private final Map<String, Long> checkedAt = new HashMap<>();

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
			this.rejectedAccounts.remove(accountId);
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
				if (tenants.isEmpty() && delete(previousAccount) && left != null) {
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
			// A link outlives its account's token only when Xref rejected it; otherwise
			// the link moved since it was read: follow it rather than report a connected
			// tenant as not connected.
			String linked = this.tenantAccounts.get(tenantKey);
			if (accountId.equals(linked)) {
				// Rejected, unless linked to it again since: an account is stored before
				// a tenant is linked to it.
				return Optional.ofNullable(this.accounts.get(accountId));
			}
			accountId = linked;
		}
		return Optional.empty();
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return Optional.ofNullable(this.accounts.get(xrefAccountId));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * An account that needs a reconnect is removed too, and counts as deleted.
	 */
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

	/**
	 * {@inheritDoc}
	 * <p>
	 * The account keeps its tenant links and who connected it when, under the write lock.
	 */
	@Override
	public boolean reject(XrefConnection connection, Instant rejectedAt, XrefConnectionStatus.RejectedBy rejectedBy) {
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(rejectedAt, "rejectedAt cannot be null");
		Assert.notNull(rejectedBy, "rejectedBy cannot be null");
		String accountId = connection.xrefAccountId();
		this.writeLock.lock();
		try {
			if (!accountId.equals(this.tokenAccounts.get(connection.accessToken()))) {
				return false;
			}
			XrefConnection rejected = this.accounts.remove(accountId);
			this.tokenAccounts.remove(rejected.accessToken(), accountId);
			this.checkedAt.remove(accountId);
			this.rejectedAccounts.put(accountId, XrefConnectionStatus.reconnectNeeded(accountId, rejected.connectedAt(),
					rejected.connectedBy(), rejectedAt, rejectedBy));
			return true;
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Under the write lock.
	 */
	@Override
	public boolean deleteRejected(String xrefAccountId) {
		Assert.hasText(xrefAccountId, "xrefAccountId cannot be empty");
		this.writeLock.lock();
		try {
			return this.rejectedAccounts.containsKey(xrefAccountId) && !this.accounts.containsKey(xrefAccountId)
					&& delete(xrefAccountId);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public XrefConnectionStatus status(String tenantKey) {
		this.writeLock.lock();
		try {
			String accountId = this.tenantAccounts.get(tenantKey);
			if (accountId == null) {
				return XrefConnectionStatus.notConnected();
			}
			XrefConnection connection = this.accounts.get(accountId);
			if (connection != null) {
				return XrefConnectionStatus.connected(connection);
			}
			XrefConnectionStatus rejected = this.rejectedAccounts.get(accountId);
			return (rejected != null) ? rejected : XrefConnectionStatus.notConnected();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public List<String> findTenants(String xrefAccountId) {
		this.writeLock.lock();
		try {
			Set<String> tenants = this.accountTenants.get(xrefAccountId);
			return (tenants != null) ? List.copyOf(tenants) : List.of();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Claims the connections claimed longest ago first, under the write lock.
	 */
	@Override
	public List<XrefConnection> claimForCheck(Instant now, Duration interval, int limit) {
		Assert.notNull(now, "now cannot be null");
		Assert.isTrue(interval != null && !interval.isNegative(), "interval cannot be null or negative");
		Assert.isTrue(limit > 0, "limit must be positive");
		long claimedAt = now.toEpochMilli();
		long lastClaimedBefore = now.minus(interval).toEpochMilli();
		this.writeLock.lock();
		try {
			List<XrefConnection> claimed = this.accounts.values()
				.stream()
				.filter((connection) -> lastChecked(connection) <= lastClaimedBefore)
				.sorted(Comparator.comparingLong(this::lastChecked))
				.limit(limit)
				.toList();
			claimed.forEach((connection) -> this.checkedAt.put(connection.xrefAccountId(), claimedAt));
			return claimed;
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private long lastChecked(XrefConnection connection) {
		return this.checkedAt.getOrDefault(connection.xrefAccountId(), 0L);
	}

	@Override
	public long countAccounts() {
		return this.accounts.size();
	}

	@Override
	public long countTenants() {
		this.writeLock.lock();
		try {
			return this.accountTenants.entrySet()
				.stream()
				.filter((entry) -> this.accounts.containsKey(entry.getKey()))
				.mapToLong((entry) -> entry.getValue().size())
				.sum();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public long countAccountsToReconnect() {
		this.writeLock.lock();
		try {
			return this.rejectedAccounts.size();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Counts under the write lock; a connection removed since is not counted.
	 */
	@Override
	public long countClaimedForCheckAfter(Instant after) {
		Assert.notNull(after, "after cannot be null");
		long afterMillis = after.toEpochMilli();
		this.writeLock.lock();
		try {
			return this.checkedAt.values().stream().filter((claimedAt) -> claimedAt > afterMillis).count();
		}
		finally {
			this.writeLock.unlock();
		}
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

	/**
	 * Removes the account, connected or needing a reconnect, and its links.
	 * @return whether there was such an account
	 */
	private boolean delete(String accountId) {
		Set<String> tenants = this.accountTenants.remove(accountId);
		if (tenants != null) {
			tenants.forEach((tenantKey) -> this.tenantAccounts.remove(tenantKey, accountId));
		}
		this.checkedAt.remove(accountId);
		boolean rejected = this.rejectedAccounts.remove(accountId) != null;
		XrefConnection removed = this.accounts.remove(accountId);
		if (removed == null) {
			return rejected;
		}
		this.tokenAccounts.remove(removed.accessToken(), accountId);
		return true;
	}

}
