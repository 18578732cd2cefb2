package io.github.xrefoauth.flow;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;

/**
 * An in-memory store that keeps the record of a rejected account and its tenant links, as
 * {@link XrefAccountStore#reject} says: {@link #status} tells a tenant that needs a
 * reconnect, {@link #findTenants} names the tenants of an account. The tests of the flows
 * that reject tokens and restore connections run on it; any store that keeps the contract
 * can take its place.
 */
public final class RejectionKeepingStore implements XrefAccountStore {

	private final InMemoryXrefAccountStore delegate = new InMemoryXrefAccountStore();

	/** Accounts by tenant, connected or rejected. */
	private final Map<String, String> links = new HashMap<>();

	/** Rejected accounts by account id. */
	private final Map<String, XrefConnectionStatus> rejected = new HashMap<>();

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		replace(tenantKey, connection);
	}

	@Override
	public synchronized List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		List<XrefConnection> ended = this.delegate.replace(tenantKey, connection);
		String accountId = connection.xrefAccountId();
		if (this.rejected.remove(accountId) != null) {
			// The reconnect restores the connection of every tenant linked to the
			// account.
			this.links.entrySet()
				.stream()
				.filter((link) -> link.getValue().equals(accountId) && !link.getKey().equals(tenantKey))
				.forEach((link) -> this.delegate.replace(link.getKey(), connection));
		}
		String left = this.links.put(tenantKey, accountId);
		if (left != null && !left.equals(accountId) && !this.links.containsValue(left)) {
			this.rejected.remove(left);
		}
		return ended;
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		return this.delegate.findByTenant(tenantKey);
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return this.delegate.findByAccount(xrefAccountId);
	}

	@Override
	public synchronized boolean deleteAccount(String xrefAccountId) {
		boolean connected = this.delegate.deleteAccount(xrefAccountId);
		boolean wasRejected = this.rejected.remove(xrefAccountId) != null;
		this.links.values().removeIf(xrefAccountId::equals);
		return connected || wasRejected;
	}

	@Override
	public synchronized boolean deleteByAccessToken(String accessToken) {
		Optional<String> account = this.links.values()
			.stream()
			.distinct()
			.filter((id) -> this.delegate.findByAccount(id)
				.filter((held) -> held.accessToken().equals(accessToken))
				.isPresent())
			.findFirst();
		boolean deleted = this.delegate.deleteByAccessToken(accessToken);
		if (deleted) {
			account.ifPresent((id) -> this.links.values().removeIf(id::equals));
		}
		return deleted;
	}

	@Override
	public synchronized boolean reject(XrefConnection connection, Instant rejectedAt, RejectedBy rejectedBy) {
		Optional<XrefConnection> held = this.delegate.findByAccount(connection.xrefAccountId())
			.filter((current) -> current.accessToken().equals(connection.accessToken()));
		if (held.isEmpty()) {
			return false;
		}
		this.delegate.deleteByAccessToken(connection.accessToken());
		this.rejected.put(connection.xrefAccountId(), XrefConnectionStatus.reconnectNeeded(connection.xrefAccountId(),
				held.get().connectedAt(), held.get().connectedBy(), rejectedAt, rejectedBy));
		return true;
	}

	@Override
	public synchronized XrefConnectionStatus status(String tenantKey) {
		Optional<XrefConnection> connection = findByTenant(tenantKey);
		if (connection.isPresent()) {
			return XrefConnectionStatus.connected(connection.get());
		}
		String accountId = this.links.get(tenantKey);
		XrefConnectionStatus status = (accountId != null) ? this.rejected.get(accountId) : null;
		return Objects.requireNonNullElseGet(status, XrefConnectionStatus::notConnected);
	}

	@Override
	public synchronized List<String> findTenants(String xrefAccountId) {
		if (this.delegate.findByAccount(xrefAccountId).isEmpty() && !this.rejected.containsKey(xrefAccountId)) {
			return List.of();
		}
		return this.links.entrySet()
			.stream()
			.filter((link) -> link.getValue().equals(xrefAccountId))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

}
