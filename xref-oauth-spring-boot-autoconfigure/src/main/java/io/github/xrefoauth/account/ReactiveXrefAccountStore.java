package io.github.xrefoauth.account;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * An {@link XrefAccountStore} for reactive code: each call runs on a scheduler for
 * blocking work ({@link Schedulers#boundedElastic()} by default), never on the thread
 * that subscribes, which may be a Netty event loop.
 */
public final class ReactiveXrefAccountStore {

	private final XrefAccountStore accountStore;

	private final Scheduler scheduler;

	/**
	 * Creates a store that runs the calls on {@link Schedulers#boundedElastic()}.
	 * @param accountStore the blocking store
	 */
	public ReactiveXrefAccountStore(XrefAccountStore accountStore) {
		this(accountStore, Schedulers.boundedElastic());
	}

	/**
	 * Creates a store that runs the calls on the given scheduler.
	 * @param accountStore the blocking store
	 * @param scheduler a scheduler whose threads may block
	 */
	public ReactiveXrefAccountStore(XrefAccountStore accountStore, Scheduler scheduler) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.accountStore = accountStore;
		this.scheduler = scheduler;
	}

	/**
	 * See {@link XrefAccountStore#save(String, XrefConnection)}.
	 * @param tenantKey the tenant that connected the account
	 * @param connection the connection to store
	 * @return completes once the connection is stored
	 */
	public Mono<Void> save(String tenantKey, XrefConnection connection) {
		return offload(() -> {
			this.accountStore.save(tenantKey, connection);
			return null;
		});
	}

	/**
	 * See {@link XrefAccountStore#findByTenant(String)}.
	 * @param tenantKey the tenant
	 * @return the connection, or empty if the tenant has none
	 */
	public Mono<XrefConnection> findByTenant(String tenantKey) {
		return offload(() -> this.accountStore.findByTenant(tenantKey)).flatMap(Mono::justOrEmpty);
	}

	/**
	 * See {@link XrefAccountStore#findByAccount(String)}.
	 * @param xrefAccountId the Xref account
	 * @return the connection, or empty if the account is not connected
	 */
	public Mono<XrefConnection> findByAccount(String xrefAccountId) {
		return offload(() -> this.accountStore.findByAccount(xrefAccountId)).flatMap(Mono::justOrEmpty);
	}

	/**
	 * See {@link XrefAccountStore#deleteAccount(String)}.
	 * @param xrefAccountId the Xref account
	 * @return whether the account was connected
	 */
	public Mono<Boolean> deleteAccount(String xrefAccountId) {
		return offload(() -> this.accountStore.deleteAccount(xrefAccountId));
	}

	/**
	 * See {@link XrefAccountStore#deleteByAccessToken(String)}.
	 * @param accessToken the token that Xref no longer accepts
	 * @return whether an account held the token
	 */
	public Mono<Boolean> deleteByAccessToken(String accessToken) {
		return offload(() -> this.accountStore.deleteByAccessToken(accessToken));
	}

	private <T> Mono<T> offload(Callable<T> call) {
		return Mono.fromCallable(call).subscribeOn(this.scheduler);
	}

}
