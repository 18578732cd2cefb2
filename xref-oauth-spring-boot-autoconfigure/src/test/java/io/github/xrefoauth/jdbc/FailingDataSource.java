package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source whose connections fail from the n-th prepared statement on, as when the
 * database goes down in the middle of a write.
 */
final class FailingDataSource extends DelegatingDataSource {

	private final AtomicInteger statements = new AtomicInteger();

	private final int failFrom;

	FailingDataSource(DataSource dataSource, int failFrom) {
		super(dataSource);
		this.failFrom = failFrom;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection = obtainTargetDataSource().getConnection();
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (method.getName().equals("prepareStatement")
							&& this.statements.incrementAndGet() >= this.failFrom) {
						throw new SQLException("Connection reset", "08S01");
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
