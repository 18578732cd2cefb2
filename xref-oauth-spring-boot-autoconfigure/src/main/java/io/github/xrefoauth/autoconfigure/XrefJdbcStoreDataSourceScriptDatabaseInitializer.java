package io.github.xrefoauth.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the tables of the JDBC account store from the schema script of the database's
 * platform, as {@code xref.oauth.store.jdbc.initialize-schema} says.
 *
 * @since 0.1.0
 */
public class XrefJdbcStoreDataSourceScriptDatabaseInitializer
		extends PropertiesBasedDataSourceScriptDatabaseInitializer<XrefJdbcStoreProperties> {

	/**
	 * MariaDB shares the MySQL script, as in Spring Session's and Spring Batch's schemas.
	 */
	static final Map<DatabaseDriver, String> DRIVER_PLATFORMS = Map.of(DatabaseDriver.MARIADB, "mysql");

	/**
	 * Creates an initializer.
	 * @param dataSource the database
	 * @param properties the store properties
	 */
	public XrefJdbcStoreDataSourceScriptDatabaseInitializer(DataSource dataSource, XrefJdbcStoreProperties properties) {
		super(dataSource, properties, DRIVER_PLATFORMS);
	}

}
