package io.github.xrefoauth.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefConnection;

/**
 * Keeps connections found in the database for a short time. Only found connections are
 * kept, so a connect made on another instance is seen at once; a disconnect made on
 * another instance is seen once the entry expires. Every local write clears the cache.
 */
final class ConnectionCache {

	private static final int MAX_ENTRIES = 10_000;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final AtomicLong generation = new AtomicLong();

	private volatile Duration timeToLive = Duration.ofSeconds(30);

	private volatile Clock clock = Clock.systemUTC();

	Optional<XrefConnection> get(String key, Supplier<Optional<XrefConnection>> loader) {
		if (this.timeToLive.isZero()) {
			return loader.get();
		}
		Instant now = this.clock.instant();
		Entry entry = this.entries.get(key);
		if (entry != null && now.isBefore(entry.expiresAt())) {
			return Optional.of(entry.connection());
		}
		long generationBeforeLoad = this.generation.get();
		Optional<XrefConnection> loaded = loader.get();
		if (loaded.isPresent()) {
			if (this.entries.size() >= MAX_ENTRIES) {
				this.entries.clear();
			}
			this.entries.put(key, new Entry(loaded.get(), now.plus(this.timeToLive)));
			// A write that ran during the load may have cleared the cache before the put.
			if (this.generation.get() != generationBeforeLoad) {
				this.entries.remove(key);
			}
		}
		return loaded;
	}

	void clear() {
		this.generation.incrementAndGet();
		this.entries.clear();
	}

	void setTimeToLive(Duration timeToLive) {
		this.timeToLive = timeToLive;
		clear();
	}

	void setClock(Clock clock) {
		this.clock = clock;
	}

	private record Entry(XrefConnection connection, Instant expiresAt) {

	}

}
