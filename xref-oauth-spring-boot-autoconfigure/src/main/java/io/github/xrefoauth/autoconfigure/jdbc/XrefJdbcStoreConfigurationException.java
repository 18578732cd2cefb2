package io.github.xrefoauth.autoconfigure.jdbc;

/**
 * Thrown at start-up when the JDBC account store cannot be set up as configured. Never
 * carries a key or a token.
 */
final class XrefJdbcStoreConfigurationException extends IllegalStateException {

	private final String action;

	/**
	 * Creates an exception.
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	XrefJdbcStoreConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * Creates an exception with the failure that caused it.
	 * @param description what is wrong
	 * @param action what to do about it
	 * @param cause the failure
	 */
	XrefJdbcStoreConfigurationException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * Returns what to do about the problem.
	 * @return the action
	 */
	String getAction() {
		return this.action;
	}

}
