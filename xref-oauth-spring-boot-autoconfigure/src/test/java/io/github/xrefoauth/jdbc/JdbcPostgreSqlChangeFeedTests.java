package io.github.xrefoauth.jdbc;

/**
 * The change feed tests on PostgreSQL.
 */
class JdbcPostgreSqlChangeFeedTests extends JdbcChangeFeedTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.postgresql();
	}

}
