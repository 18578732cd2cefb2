package io.github.xrefoauth.jdbc;

/**
 * The change feed tests on H2.
 */
class JdbcH2ChangeFeedTests extends JdbcChangeFeedTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.h2();
	}

}
