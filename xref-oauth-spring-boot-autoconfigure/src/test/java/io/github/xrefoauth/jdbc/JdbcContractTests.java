package io.github.xrefoauth.jdbc;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStoreContractTests;
import org.junit.jupiter.api.AfterEach;

/**
 * The account store contract on one database, with the read cache on.
 */
abstract class JdbcContractTests extends XrefAccountStoreContractTests {

	private TestDatabase database;

	abstract TestDatabase createDatabase();

	@Override
	protected XrefAccountStore createStore() {
		this.database = createDatabase();
		return new JdbcXrefAccountStore(this.database.dataSource(), TestCiphers.cipher("k1"));
	}

	@AfterEach
	void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

}
