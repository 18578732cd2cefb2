package io.github.xrefoauth.jdbc;

/**
 * Connects across two instances on H2.
 */
class JdbcH2ConnectAcrossInstancesTests extends JdbcConnectAcrossInstancesTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.h2();
	}

}
