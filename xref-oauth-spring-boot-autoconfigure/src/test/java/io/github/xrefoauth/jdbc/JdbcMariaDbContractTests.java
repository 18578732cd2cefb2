package io.github.xrefoauth.jdbc;

/**
 * The account store contract on MariaDB.
 */
class JdbcMariaDbContractTests extends JdbcContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.mariadb();
	}

}
