package io.github.xrefoauth.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when an {@code xref.oauth.*} property is missing or wrong. Never
 * carries the value of a secret.
 */
final class InvalidXrefPropertyException extends IllegalStateException {

	private final String property;

	private final @Nullable String value;

	private final String problem;

	/**
	 * Creates an exception.
	 * @param property the full property name
	 * @param value the value that was set, or {@code null} when it is missing
	 * @param problem what is wrong, e.g. "is not set"
	 */
	InvalidXrefPropertyException(String property, @Nullable String value, String problem) {
		super(property + " " + problem);
		this.property = property;
		this.value = value;
		this.problem = problem;
	}

	/**
	 * Returns the full name of the property that is wrong.
	 * @return the property name
	 */
	String getProperty() {
		return this.property;
	}

	/**
	 * Returns the value that was set.
	 * @return the value, or {@code null} when it is missing
	 */
	@Nullable String getValue() {
		return this.value;
	}

	/**
	 * Returns what is wrong with the property.
	 * @return the problem
	 */
	String getProblem() {
		return this.problem;
	}

}
