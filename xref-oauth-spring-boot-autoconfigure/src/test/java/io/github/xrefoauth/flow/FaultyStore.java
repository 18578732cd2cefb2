package io.github.xrefoauth.flow;

import java.util.List;
import java.util.Optional;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.testing.DelegatingXrefAccountStore;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * An in-memory store that fails as a database does when it goes away: before the write,
 * or after the commit. Like a connection pool waiting for a connection, it also fails on
 * an interrupted thread.
 */
public final class FaultyStore extends DelegatingXrefAccountStore {

	/** How the store fails. */
	public enum Fault {

		NONE, SAVE_FAILS, SAVE_AND_READS_FAIL, SAVE_COMMITS_THEN_FAILS, FIRST_READ_FAILS

	}

	public volatile Fault fault = Fault.NONE;

	public FaultyStore() {
		super(new InMemoryXrefAccountStore());
	}

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		replace(tenantKey, connection);
	}

	@Override
	public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		failIfInterrupted();
		if (this.fault == Fault.SAVE_COMMITS_THEN_FAILS) {
			super.replace(tenantKey, connection);
		}
		if (this.fault != Fault.NONE) {
			throw new DataAccessResourceFailureException("connection lost");
		}
		return super.replace(tenantKey, connection);
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		readable();
		return super.findByTenant(tenantKey);
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		readable();
		return super.findByAccount(xrefAccountId);
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
