package io.github.xrefoauth.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * An in-memory store that fails as a database does when it goes away: before the write,
 * or after the commit. Like a connection pool waiting for a connection, it also fails on
 * an interrupted thread.
 */
public final class FaultyStore implements XrefAccountStore {

	/** How the store fails. */
	public enum Fault {

		NONE, SAVE_FAILS, SAVE_AND_READS_FAIL, SAVE_COMMITS_THEN_FAILS, FIRST_READ_FAILS

	}

	private final XrefAccountStore delegate = new InMemoryXrefAccountStore();

	public volatile Fault fault = Fault.NONE;

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		replace(tenantKey, connection);
	}

	@Override
	public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		failIfInterrupted();
		if (this.fault == Fault.SAVE_COMMITS_THEN_FAILS) {
			this.delegate.replace(tenantKey, connection);
		}
		if (this.fault != Fault.NONE) {
			throw new DataAccessResourceFailureException("connection lost");
		}
		return this.delegate.replace(tenantKey, connection);
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		readable();
		return this.delegate.findByTenant(tenantKey);
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		readable();
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

	/** Never fails: the faults stay the finds' and writes' own. */
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

	private void readable() {
		failIfInterrupted();
		if (this.fault == Fault.FIRST_READ_FAILS) {
			this.fault = Fault.NONE;
			throw new DataAccessResourceFailureException("connection reset");
		}
		if (this.fault == Fault.SAVE_AND_READS_FAIL) {
			throw new DataAccessResourceFailureException("connection refused");
		}
	}

	private static void failIfInterrupted() {
		if (Thread.currentThread().isInterrupted()) {
			throw new DataAccessResourceFailureException("interrupted while waiting for a connection");
		}
	}

}
