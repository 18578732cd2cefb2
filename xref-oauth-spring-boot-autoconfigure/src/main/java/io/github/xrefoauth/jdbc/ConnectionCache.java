package io.github.xrefoauth.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.xrefoauth.account.XrefConnection;
import org.jspecify.annotations.Nullable;

/**
 * Keeps connections found in the database: tenant to Xref account id (the link), and Xref
 * account id to connection, each bounded in size (least used entries go first) and
 * expiring a time to live after it was read. Only found connections are kept, so a
 * connect made on another instance is seen at once. Writes evict the keys they change.
 * <p>
 * A load that read a row before a write committed must not put it into the cache after
 * the write's eviction: every eviction stamps its key's stripe with a new number, and a
 * load takes back what it put when a key it put was stamped after the load began.
 */
final class ConnectionCache {

	static final long DEFAULT_MAXIMUM_SIZE = 100_000;

	private static final int STRIPES = 4096;

	private final AtomicLong evictions = new AtomicLong();

	/** Number of the last eviction of a key of each stripe. */
	private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

	/** Number of the last eviction of unknown keys, which every load respects. */
	private final AtomicLong everyKeyStamp = new AtomicLong();

	private Duration timeToLive = Duration.ofSeconds(30);

	private long maximumSize = DEFAULT_MAXIMUM_SIZE;

	private Ticker ticker = Ticker.systemTicker();

	private volatile @Nullable Caches caches = build();

	Optional<XrefConnection> getByTenant(String tenantKey, Supplier<Optional<XrefConnection>> loader) {
		Caches caches = this.caches;
		if (caches == null) {
			return loader.get();
		}
		String accountId = caches.links().getIfPresent(tenantKey);
		XrefConnection cached = (accountId != null) ? caches.connections().getIfPresent(accountId) : null;
		if (cached != null) {
			return Optional.of(cached);
		}
		long loadStarted = this.evictions.get();
		Optional<XrefConnection> loaded = loader.get();
		if (loaded.isEmpty() && accountId != null) {
			caches.links().invalidate(tenantKey);
		}
		loaded.ifPresent((connection) -> {
			caches.connections().put(connection.xrefAccountId(), connection);
			caches.links().put(tenantKey, connection.xrefAccountId());
			if (evictedSince(loadStarted, Kind.TENANT, tenantKey)
					|| evictedSince(loadStarted, Kind.ACCOUNT, connection.xrefAccountId())) {
				caches.links().invalidate(tenantKey);
				caches.connections().invalidate(connection.xrefAccountId());
			}
		});
		return loaded;
	}

	Optional<XrefConnection> getByAccount(String accountId, Supplier<Optional<XrefConnection>> loader) {
		Caches caches = this.caches;
		if (caches == null) {
			return loader.get();
		}
		XrefConnection cached = caches.connections().getIfPresent(accountId);
		if (cached != null) {
			return Optional.of(cached);
		}
		long loadStarted = this.evictions.get();
		Optional<XrefConnection> loaded = loader.get();
		loaded.ifPresent((connection) -> {
			caches.connections().put(accountId, connection);
			if (evictedSince(loadStarted, Kind.ACCOUNT, accountId)) {
				caches.connections().invalidate(accountId);
			}
		});
		return loaded;
	}

	/**
	 * Drops the connection of an account. Call it once the change is committed.
	 * @param accountId the Xref account id
	 */
	void evictAccount(String accountId) {
		stamp(Kind.ACCOUNT, accountId);
		Caches caches = this.caches;
		if (caches != null) {
			caches.connections().invalidate(accountId);
		}
	}

	/**
	 * Drops the link of a tenant. Call it once the change is committed.
	 * @param tenantKey the tenant key
	 */
	void evictTenant(String tenantKey) {
		stamp(Kind.TENANT, tenantKey);
		Caches caches = this.caches;
		if (caches != null) {
			caches.links().invalidate(tenantKey);
		}
	}

	/**
	 * Drops every connection that holds the token, scanning the cache.
	 * @param accessToken the token
	 */
	void evictToken(String accessToken) {
		this.everyKeyStamp.accumulateAndGet(this.evictions.incrementAndGet(), Math::max);
		Caches caches = this.caches;
		if (caches != null) {
			caches.connections()
				.asMap()
				.values()
				.removeIf((connection) -> connection.accessToken().equals(accessToken));
		}
	}

	/**
	 * Drops everything, as when changes may have been missed.
	 */
	void clear() {
		this.everyKeyStamp.accumulateAndGet(this.evictions.incrementAndGet(), Math::max);
		Caches caches = this.caches;
		if (caches != null) {
			caches.links().invalidateAll();
			caches.connections().invalidateAll();
		}
	}

	boolean isEnabled() {
		return this.caches != null;
	}

	Duration getTimeToLive() {
		return this.timeToLive;
	}

	synchronized void setTimeToLive(Duration timeToLive) {
		this.timeToLive = timeToLive;
		rebuild();
	}

	synchronized void setMaximumSize(long maximumSize) {
		this.maximumSize = maximumSize;
		rebuild();
	}

	synchronized void setClock(Clock clock) {
		this.ticker = () -> {
			Instant now = clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		};
		rebuild();
	}

	/**
	 * Runs the cache's pending maintenance, such as evictions by size, now.
	 */
	void cleanUp() {
		Caches caches = this.caches;
		if (caches != null) {
			caches.links().cleanUp();
			caches.connections().cleanUp();
		}
	}

	private void rebuild() {
		clear();
		this.caches = build();
	}

	private @Nullable Caches build() {
		if (this.timeToLive.isZero()) {
			return null;
		}
		return new Caches(newCache(), newCache());
	}

	private <V> Cache<String, V> newCache() {
		// Maintenance runs on the calling threads, not in the common pool.
		return Caffeine.newBuilder()
			.maximumSize(this.maximumSize)
			.expireAfterWrite(this.timeToLive)
			.ticker(this.ticker)
			.executor(Runnable::run)
			.build();
	}

	private void stamp(Kind kind, String key) {
		this.stamps.accumulateAndGet(stripe(kind, key), this.evictions.incrementAndGet(), Math::max);
	}

	private boolean evictedSince(long loadStarted, Kind kind, String key) {
		return this.everyKeyStamp.get() > loadStarted || this.stamps.get(stripe(kind, key)) > loadStarted;
	}

	private static int stripe(Kind kind, String key) {
		int hash = key.hashCode() * 31 + kind.ordinal();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

	private enum Kind {

		TENANT, ACCOUNT

	}

	private record Caches(Cache<String, String> links, Cache<String, XrefConnection> connections) {

	}

}
