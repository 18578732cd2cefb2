package io.github.xrefoauth.jdbc;

/**
 * The JDBC store tests on H2.
 */
class JdbcH2StoreTests extends JdbcStoreTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.h2();
	}

}
