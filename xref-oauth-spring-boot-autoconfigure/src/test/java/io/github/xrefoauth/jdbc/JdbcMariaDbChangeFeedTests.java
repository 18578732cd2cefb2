package io.github.xrefoauth.jdbc;

/**
 * The change feed tests on MariaDB.
 */
class JdbcMariaDbChangeFeedTests extends JdbcChangeFeedTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.mariadb();
	}

}
