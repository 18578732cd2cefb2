package io.github.xrefoauth.jdbc;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The single-statement upsert of each supported database, so that concurrent connects of
 * one account never race between an update and an insert.
 */
enum JdbcUpsertDialect {

	POSTGRESQL {

		@Override
		String upsert(String table, String key, String... columns) {
			return insert(table, columns) + " ON CONFLICT (" + key + ") DO UPDATE SET "
					+ assignments(key, columns, "EXCLUDED.%s");
		}

		@Override
		String insertIfAbsent(String table, String key, String... columns) {
			return insert(table, columns) + " ON CONFLICT (" + key + ") DO NOTHING";
		}

		@Override
		boolean abortsTransactionOnError() {
			return true;
		}

	},

	MYSQL {

		@Override
		String upsert(String table, String key, String... columns) {
			return insert(table, columns) + " ON DUPLICATE KEY UPDATE " + assignments(key, columns, "VALUES(%s)");
		}

	},

	H2 {

		@Override
		String upsert(String table, String key, String... columns) {
			return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + key + ") VALUES ("
					+ placeholders(columns) + ")";
		}

	};

	/**
	 * Returns a statement that inserts a row or updates the row with the same key.
	 * @param table the table
	 * @param key the primary key column, also the first of the columns
	 * @param columns every column, in parameter order
	 * @return the SQL
	 */
	abstract String upsert(String table, String key, String... columns);

	/**
	 * Returns a statement that inserts a row unless a row with the same key exists. Where
	 * {@link #abortsTransactionOnError()}, it skips such a row and counts no update;
	 * elsewhere it fails with a duplicate key, which leaves the transaction usable.
	 * @param table the table
	 * @param key the primary key column, also the first of the columns
	 * @param columns every column, in parameter order
	 * @return the SQL
	 */
	String insertIfAbsent(String table, String key, String... columns) {
		return insert(table, columns);
	}

	/**
	 * Whether a failed statement makes the rest of its transaction fail (PostgreSQL).
	 * @return whether the transaction is lost with a failed statement
	 */
	boolean abortsTransactionOnError() {
		return false;
	}

	/**
	 * Returns the end of a locking read that skips the rows that other transactions
	 * locked.
	 * @return the clause, with a leading space
	 */
	String skipLocked() {
		return " FOR UPDATE SKIP LOCKED";
	}

	/**
	 * Whether {@code SELECT DISTINCT} of an indexed column reads one index entry per
	 * value: H2 ("distinct" optimization), MariaDB and MySQL (loose index scan).
	 * PostgreSQL reads the whole index instead.
	 * @return whether a distinct query is cheap on a large table
	 */
	boolean readsDistinctValuesFromTheIndex() {
		return this != POSTGRESQL;
	}

	static JdbcUpsertDialect of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Cannot determine the database of the Xref account store", ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mariadb") || name.contains("mysql")) {
			return MYSQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException(
				"The Xref JDBC account store supports H2, PostgreSQL, MariaDB and MySQL, not " + product);
	}

	private static String insert(String table, String... columns) {
		return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders(columns) + ")";
	}

	private static String placeholders(String... columns) {
		return Arrays.stream(columns).map((column) -> "?").collect(Collectors.joining(", "));
	}

	private static String assignments(String key, String[] columns, String valueFormat) {
		return Arrays.stream(columns)
			.filter((column) -> !column.equals(key))
			.map((column) -> column + " = " + valueFormat.formatted(column))
			.collect(Collectors.joining(", "));
	}

}
