package io.github.xrefoauth.account;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.util.Assert;

/**
 * {@link XrefAccountStore} that keeps connections in memory: they are lost when the
 * application stops.
 */
public final class InMemoryXrefAccountStore implements XrefAccountStore, XrefAccountCounts {

	private final Map<String, XrefConnection> accounts = new HashMap<>();

	private final Map<String, String> tenantAccounts = new HashMap<>();

	@Override
	public synchronized void save(String tenantKey, XrefConnection connection) {
		Assert.hasText(tenantKey, "tenantKey cannot be empty");
		Assert.notNull(connection, "connection cannot be null");
		this.accounts.put(connection.xrefAccountId(), connection);
		this.tenantAccounts.put(tenantKey, connection.xrefAccountId());
	}

	@Override
	public synchronized Optional<XrefConnection> findByTenant(String tenantKey) {
		String accountId = this.tenantAccounts.get(tenantKey);
		return Optional.ofNullable((accountId != null) ? this.accounts.get(accountId) : null);
	}

	@Override
	public synchronized Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return Optional.ofNullable(this.accounts.get(xrefAccountId));
	}

	@Override
	public synchronized boolean deleteAccount(String xrefAccountId) {
		this.tenantAccounts.values().removeIf(xrefAccountId::equals);
		return this.accounts.remove(xrefAccountId) != null;
	}

	@Override
	public synchronized long countAccounts() {
		return this.accounts.size();
	}

	@Override
	public synchronized long countTenants() {
		return this.tenantAccounts.size();
	}

	@Override
	public synchronized boolean deleteByAccessToken(String accessToken) {
		return this.accounts.values()
			.stream()
			.filter((connection) -> connection.accessToken().equals(accessToken))
			.findFirst()
			.map((connection) -> deleteAccount(connection.xrefAccountId()))
			.orElse(false);
	}

}
