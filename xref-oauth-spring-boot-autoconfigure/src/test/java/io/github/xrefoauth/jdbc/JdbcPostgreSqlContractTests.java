package io.github.xrefoauth.jdbc;

/**
 * The account store contract on PostgreSQL.
 */
class JdbcPostgreSqlContractTests extends JdbcContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.postgresql();
	}

}
