package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source whose connections fail some prepared statements, as when the database
 * goes down in the middle of a write, times out or reports a lock conflict.
 */
final class FailingDataSource extends DelegatingDataSource {

	private final AtomicInteger statements = new AtomicInteger();

	private final IntFunction<SQLException> failure;

	/**
	 * Creates a data source that fails from the n-th prepared statement on with a lost
	 * connection.
	 * @param dataSource the working data source
	 * @param failFrom the number of the first statement that fails, from 1
	 */
	FailingDataSource(DataSource dataSource, int failFrom) {
		this(dataSource, (statement) -> (statement >= failFrom) ? new SQLException("Connection reset", "08S01") : null);
	}

	/**
	 * Creates a data source that asks for each prepared statement, by its number from 1,
	 * which exception it fails with, if any.
	 * @param dataSource the working data source
	 * @param failure the exception of a statement, or {@code null} when it runs
	 */
	FailingDataSource(DataSource dataSource, IntFunction<SQLException> failure) {
		super(dataSource);
		this.failure = failure;
	}

	/**
	 * Returns how many statements were prepared or failed.
	 * @return the number of statements
	 */
	int statements() {
		return this.statements.get();
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection = obtainTargetDataSource().getConnection();
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (method.getName().equals("prepareStatement")) {
						SQLException failure = this.failure.apply(this.statements.incrementAndGet());
						if (failure != null) {
							throw failure;
						}
					}
					try {
						return method.invoke(connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
	}

}
