package io.github.xrefoauth.jdbc;

import java.net.ConnectException;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Which database failures skip a test: only an unreachable server.
 */
class TestDatabaseTests {

	@Test
	void closedPortIsUnreachable() {
		DriverManager.setLoginTimeout(3);
		SQLException ex = catchThrowableOfType(SQLException.class,
				() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/test", "postgres", ""));
		assertThat(TestDatabase.isUnreachable(ex)).isTrue();
	}

	@Test
	void connectionExceptionsAreUnreachable() {
		assertThat(TestDatabase.isUnreachable(new SQLException("Connection refused", "08001"))).isTrue();
		assertThat(TestDatabase.isUnreachable(new SQLException("I/O error", null, new ConnectException()))).isTrue();
	}

	@Test
	void wrongCredentialsAndBadSqlAreFailures() {
		assertThat(TestDatabase.isUnreachable(new SQLException("password authentication failed", "28P01"))).isFalse();
		assertThat(TestDatabase.isUnreachable(new SQLException("Access denied for user", "28000", 1045))).isFalse();
		assertThat(TestDatabase.isUnreachable(new SQLException("syntax error", "42601"))).isFalse();
	}

}
