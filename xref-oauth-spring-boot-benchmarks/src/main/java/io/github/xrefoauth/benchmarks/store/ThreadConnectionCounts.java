package io.github.xrefoauth.benchmarks.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that counts the connections a thread takes in the counter that thread
 * registered, so that a lookup answered from the cache can be told from one that read the
 * database; threads that registered none (a change feed, a connect thread) are not
 * counted.
 */
final class ThreadConnectionCounts extends DelegatingDataSource {

	private static final ThreadLocal<@Nullable AtomicLong> COUNTER = new ThreadLocal<>();

	ThreadConnectionCounts(DataSource dataSource) {
		super(dataSource);
	}

	/**
	 * Counts the connections that the calling thread takes from now on.
	 * @param counter the counter to add them to
	 */
	static void countOnThisThread(AtomicLong counter) {
		COUNTER.set(counter);
	}

	@Override
	public Connection getConnection() throws SQLException {
		count();
		return super.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		count();
		return super.getConnection(username, password);
	}

	private static void count() {
		AtomicLong counter = COUNTER.get();
		if (counter != null) {
			counter.incrementAndGet();
		}
	}

}
