package io.github.xrefoauth.jdbc;

/**
 * The JDBC store tests on MariaDB.
 */
class JdbcMariaDbStoreTests extends JdbcStoreTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.mariadb();
	}

}
