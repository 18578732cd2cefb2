package io.github.xrefoauth.jdbc;

/**
 * The account store contract on H2.
 */
class JdbcH2ContractTests extends JdbcContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabase.h2();
	}

}
