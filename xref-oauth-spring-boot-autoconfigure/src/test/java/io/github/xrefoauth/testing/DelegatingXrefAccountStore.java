package io.github.xrefoauth.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;

/**
 * A store that forwards every call, its default methods included, for tests that make one
 * call misbehave.
 */
public class DelegatingXrefAccountStore implements XrefAccountStore {

	private final XrefAccountStore delegate;

	public DelegatingXrefAccountStore(XrefAccountStore delegate) {
		this.delegate = delegate;
	}

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		this.delegate.save(tenantKey, connection);
	}

	@Override
	public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		return this.delegate.replace(tenantKey, connection);
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
	public boolean deleteAccount(String xrefAccountId) {
		return this.delegate.deleteAccount(xrefAccountId);
	}

	@Override
	public boolean deleteByAccessToken(String accessToken) {
		return this.delegate.deleteByAccessToken(accessToken);
	}

	@Override
	public boolean reject(XrefConnection connection, Instant rejectedAt, XrefConnectionStatus.RejectedBy rejectedBy) {
		return this.delegate.reject(connection, rejectedAt, rejectedBy);
	}

	@Override
	public boolean deleteRejected(String xrefAccountId) {
		return this.delegate.deleteRejected(xrefAccountId);
	}

	@Override
	public XrefConnectionStatus status(String tenantKey) {
		return this.delegate.status(tenantKey);
	}

	@Override
	public List<String> findTenants(String xrefAccountId) {
		return this.delegate.findTenants(xrefAccountId);
	}

	@Override
	public List<XrefConnection> claimForCheck(Instant now, Duration interval, int limit) {
		return this.delegate.claimForCheck(now, interval, limit);
	}

}
