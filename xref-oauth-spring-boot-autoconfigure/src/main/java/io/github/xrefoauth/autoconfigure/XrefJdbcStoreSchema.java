package io.github.xrefoauth.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;

/**
 * Checks at start-up that the tables of the JDBC store exist with the columns it uses, so
 * that a missing table fails start-up instead of the first connect.
 */
final class XrefJdbcStoreSchema {

	/** Script that adds the connection health columns to an earlier account table. */
	static final String CONNECTION_HEALTH_MIGRATION = "io/github/xrefoauth/jdbc/migrate-0.1.0-connection-health-%s.sql";

	/** Tables of the account store, with the columns it reads and writes. */
	static final List<Table> ACCOUNT_TABLES = List.of(
			new Table("xref_account",
					"xref_account_id, access_token, token_hash, connected_at, connected_by, key_id, rejected_at,"
							+ " rejected_by, checked_at",
					CONNECTION_HEALTH_MIGRATION),
			new Table("xref_tenant", "tenant_key, xref_account_id", null),
			new Table("xref_account_change", "seq, xref_account_id, tenant_key, changed_at", null));

	/** Table of the pending authorization requests, with its columns. */
	static final List<Table> AUTHORIZATION_REQUEST_TABLE = List.of(new Table("xref_authorization_request",
			"state, binding, principal, created_at, expires_at, request", null));

	private static final Pattern SHIPPED_SCRIPT = Pattern.compile("io/github/xrefoauth/jdbc/schema-(\\w+)\\.sql$");

	private static final String PROPERTY = "xref.oauth.store.jdbc.initialize-schema";

	private XrefJdbcStoreSchema() {
	}

	/**
	 * Selects no row from each table, naming each column.
	 * @param dataSource the database
	 * @param properties the store properties, for the schema script to name
	 * @param tables the columns, by table
	 * @throws XrefJdbcStoreConfigurationException if a table or a column is missing
	 */
	static void check(DataSource dataSource, XrefJdbcStoreProperties properties, List<Table> tables) {
		JdbcClient jdbcClient = JdbcClient.create(dataSource);
		for (Table table : tables) {
			try {
				jdbcClient.sql("SELECT " + table.columns() + " FROM " + table.name() + " WHERE 1 = 0")
					.query()
					.listOfRows();
			}
			catch (BadSqlGrammarException ex) {
				String script = schemaScript(dataSource, properties);
				throw new XrefJdbcStoreConfigurationException(
						"The JDBC store needs the table " + table.name() + " with the columns " + table.columns()
								+ ", but the database has no such table or it lacks a" + " column (" + PROPERTY
								+ " is '" + properties.getInitializeSchema().name().toLowerCase(Locale.ROOT) + "').",
						"Set " + PROPERTY + " to 'always', or create the tables from the script " + script
								+ " with Flyway or Liquibase." + migrationHint(table, script));
			}
		}
	}

	/**
	 * Names the script that brings a table of an earlier version up to date: creating the
	 * tables does not change a table that exists.
	 */
	private static String migrationHint(Table table, String script) {
		if (table.migration() == null) {
			return "";
		}
		Matcher shipped = SHIPPED_SCRIPT.matcher(script);
		String migration = table.migration().formatted(shipped.find() ? shipped.group(1) : "<platform>");
		return " If the table " + table.name() + " was created by an earlier version, add the missing columns"
				+ " with the script " + migration + ", shipped in the jar.";
	}

	private static String schemaScript(DataSource dataSource, XrefJdbcStoreProperties properties) {
		String schema = properties.getSchema();
		try {
			PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
			for (Map.Entry<DatabaseDriver, String> mapping : XrefJdbcStoreDataSourceScriptDatabaseInitializer.DRIVER_PLATFORMS
				.entrySet()) {
				resolver = resolver.withDriverPlatform(mapping.getKey(), mapping.getValue());
			}
			String platform = properties.getPlatform();
			List<String> resolved = (StringUtils.hasText(platform) && !"all".equals(platform))
					? resolver.resolveAll(platform, schema) : resolver.resolveAll(dataSource, schema);
			return resolved.get(0);
		}
		catch (RuntimeException ex) {
			// The message names the configured location instead.
			return schema;
		}
	}

	/**
	 * A table and the columns that the store uses.
	 *
	 * @param name the table name
	 * @param columns the column names, separated by commas
	 * @param migration the script that adds columns to the table of an earlier version,
	 * with {@code %s} for the platform, if any
	 */
	record Table(String name, String columns, @Nullable String migration) {

	}

}
