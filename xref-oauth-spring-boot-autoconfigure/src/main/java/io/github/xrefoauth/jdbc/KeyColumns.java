package io.github.xrefoauth.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads the columns that hold keys from outside (tenant keys, Xref account ids, states).
 * MariaDB and MySQL keep them as {@code VARBINARY}, so that they compare byte for byte,
 * and their drivers return such a column as bytes: the UTF-8 text that was written. MySQL
 * Connector/J would decode it as ISO-8859-1 for {@code getString}.
 */
final class KeyColumns {

	private KeyColumns() {
	}

	static String read(ResultSet resultSet, String column) throws SQLException {
		return text(resultSet.getObject(column));
	}

	static String read(ResultSet resultSet, int column) throws SQLException {
		return text(resultSet.getObject(column));
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : (String) value;
	}

}
