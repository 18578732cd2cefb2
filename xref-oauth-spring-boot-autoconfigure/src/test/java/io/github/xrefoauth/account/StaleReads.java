package io.github.xrefoauth.account;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose first reads lag behind, like a cache on another instance.
 */
public final class StaleReads implements XrefAccountStore {

	private final XrefAccountStore store;

	private final XrefConnection stale;

	private final AtomicInteger staleReads;

	/**
	 * Creates a store.
	 * @param store the store that holds the truth
	 * @param stale the connection that the first reads return
	 * @param staleReads how many reads return it
	 */
	public StaleReads(XrefAccountStore store, XrefConnection stale, int staleReads) {
		this.store = store;
		this.stale = stale;
		this.staleReads = new AtomicInteger(staleReads);
	}

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		this.store.save(tenantKey, connection);
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		return (this.staleReads.getAndDecrement() > 0) ? Optional.of(this.stale) : this.store.findByTenant(tenantKey);
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return (this.staleReads.getAndDecrement() > 0) ? Optional.of(this.stale)
				: this.store.findByAccount(xrefAccountId);
	}

	@Override
	public boolean deleteAccount(String xrefAccountId) {
		return this.store.deleteAccount(xrefAccountId);
	}

	@Override
	public boolean deleteByAccessToken(String accessToken) {
		return this.store.deleteByAccessToken(accessToken);
	}

}
