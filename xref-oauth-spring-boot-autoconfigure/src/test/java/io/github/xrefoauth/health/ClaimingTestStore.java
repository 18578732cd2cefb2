package io.github.xrefoauth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A store for the health check's tests: the in-memory store, with its rejections and
 * tenant links kept beside it, and every claim and rejection recorded.
 */
final class ClaimingTestStore implements XrefAccountStore, XrefAccountCounts {

	private final InMemoryXrefAccountStore delegate = new InMemoryXrefAccountStore();

	private final Map<String, Set<String>> tenants = new LinkedHashMap<>();

	final List<Integer> claimLimits = new CopyOnWriteArrayList<>();

	final List<Rejection> rejections = new CopyOnWriteArrayList<>();

	/** Whether counting the accounts fails, as a database that went away. */
	volatile boolean countsFail;

	@Override
	public synchronized void save(String tenantKey, XrefConnection connection) {
		this.delegate.save(tenantKey, connection);
		this.tenants.computeIfAbsent(connection.xrefAccountId(), (account) -> new LinkedHashSet<>()).add(tenantKey);
	}

	@Override
	public synchronized Optional<XrefConnection> findByTenant(String tenantKey) {
		return this.delegate.findByTenant(tenantKey);
	}

	@Override
	public synchronized Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return this.delegate.findByAccount(xrefAccountId);
	}

	@Override
	public synchronized boolean deleteAccount(String xrefAccountId) {
		this.tenants.remove(xrefAccountId);
		return this.delegate.deleteAccount(xrefAccountId);
	}

	@Override
	public synchronized boolean deleteByAccessToken(String accessToken) {
		return this.delegate.deleteByAccessToken(accessToken);
	}

	@Override
	public synchronized boolean reject(XrefConnection connection, Instant rejectedAt, RejectedBy rejectedBy) {
		boolean held = this.delegate.deleteByAccessToken(connection.accessToken());
		this.rejections.add(new Rejection(connection.xrefAccountId(), rejectedAt, rejectedBy, held));
		return held;
	}

	@Override
	public synchronized List<String> findTenants(String xrefAccountId) {
		return List.copyOf(this.tenants.getOrDefault(xrefAccountId, Set.of()));
	}

	@Override
	public synchronized List<XrefConnection> claimForCheck(Instant now, Duration interval, int limit) {
		this.claimLimits.add(limit);
		return this.delegate.claimForCheck(now, interval, limit);
	}

	@Override
	public long countClaimedForCheckAfter(Instant after) {
		return this.delegate.countClaimedForCheckAfter(after);
	}

	@Override
	public long countAccounts() {
		if (this.countsFail) {
			throw new DataAccessResourceFailureException("Connection refused");
		}
		return this.delegate.countAccounts();
	}

	@Override
	public long countTenants() {
		return this.delegate.countTenants();
	}

	record Rejection(String xrefAccountId, Instant rejectedAt, RejectedBy rejectedBy, boolean held) {

	}

}
