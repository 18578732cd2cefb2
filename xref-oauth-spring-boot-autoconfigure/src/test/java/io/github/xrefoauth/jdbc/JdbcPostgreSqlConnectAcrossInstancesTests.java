package io.github.xrefoauth.jdbc;

/**
 * Connects across two instances on PostgreSQL.
 */
class JdbcPostgreSqlConnectAcrossInstancesTests extends JdbcConnectAcrossInstancesTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.postgresql();
	}

	@Override
	int floodSize() {
		return 300;
	}

}
