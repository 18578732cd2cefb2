package io.github.xrefoauth.jdbc;

/**
 * The JDBC store tests on PostgreSQL.
 */
class JdbcPostgreSqlStoreTests extends JdbcStoreTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.postgresql();
	}

}
