package io.github.xrefoauth.client;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.testing.DelegatingXrefAccountStore;

/**
 * A store of tenant {@code acme}, connected to {@code acct-1} with {@code token-1}, whose
 * account another member connects anew with {@code token-2} while a call is under way: as
 * the starter does on a reconnect, the replaced token is revoked at Xref.
 */
final class ReconnectsMeanwhile extends DelegatingXrefAccountStore {

	private final XrefAccountStore store;

	private final RevokingXref xref;

	private final AtomicBoolean afterNextRead = new AtomicBoolean();

	ReconnectsMeanwhile(XrefAccountStore store, RevokingXref xref) {
		super(store);
		this.store = store;
		this.xref = xref;
		store.save("acme", new XrefConnection("acct-1", "token-1", Instant.parse("2026-01-01T10:00:00Z"), "alice"));
		xref.issue("token-1");
	}

	/**
	 * Reconnects right after the next read of the tenant's connection.
	 */
	void reconnectAfterNextRead() {
		this.afterNextRead.set(true);
	}

	/**
	 * Another member of the tenant connects the account anew.
	 */
	void reconnect() {
		this.store.save("acme", new XrefConnection("acct-1", "token-2", Instant.now(), "carol"));
		this.xref.issue("token-2");
		this.xref.revoke("token-1");
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		Optional<XrefConnection> connection = this.store.findByTenant(tenantKey);
		if (this.afterNextRead.getAndSet(false)) {
			reconnect();
		}
		return connection;
	}

}
