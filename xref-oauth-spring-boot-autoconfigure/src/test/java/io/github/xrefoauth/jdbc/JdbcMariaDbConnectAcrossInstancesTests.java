package io.github.xrefoauth.jdbc;

/**
 * Connects across two instances on MariaDB.
 */
class JdbcMariaDbConnectAcrossInstancesTests extends JdbcConnectAcrossInstancesTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.mariadb();
	}

	@Override
	int floodSize() {
		return 300;
	}

}
