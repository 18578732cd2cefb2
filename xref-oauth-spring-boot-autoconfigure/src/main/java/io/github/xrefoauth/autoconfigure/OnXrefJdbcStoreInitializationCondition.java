package io.github.xrefoauth.autoconfigure;

import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;

/**
 * Matches unless {@code xref.oauth.store.jdbc.initialize-schema} is {@code never}.
 */
class OnXrefJdbcStoreInitializationCondition extends OnDatabaseInitializationCondition {

	OnXrefJdbcStoreInitializationCondition() {
		super("Xref JDBC Store", "xref.oauth.store.jdbc.initialize-schema");
	}

}
