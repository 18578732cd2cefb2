package io.github.xrefoauth.autoconfigure;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Thrown at start-up when the JDBC account store cannot be set up as configured. Never
 * carries a key or a token.
 */
final class XrefJdbcStoreConfigurationException extends IllegalStateException {

	private static final String PROPERTY = OnJdbcStoreTypeCondition.PROPERTY;

	private static final String OR_ANOTHER_TYPE = "set " + PROPERTY + " to 'auto' or 'memory'.";

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
	 * Returns the exception for {@code xref.oauth.store.type=jdbc} when the JDBC store is
	 * not set up: it names what the application lacks.
	 * @param beanFactory the application's bean factory
	 * @param classLoader the application's class loader
	 * @return the exception to throw
	 */
	static XrefJdbcStoreConfigurationException noJdbcStore(ListableBeanFactory beanFactory,
			@Nullable ClassLoader classLoader) {
		String addJdbc = "Add spring-boot-starter-jdbc and a database driver, or " + OR_ANOTHER_TYPE;
		if (!ClassUtils.isPresent("org.springframework.jdbc.core.simple.JdbcClient", classLoader)) {
			return new XrefJdbcStoreConfigurationException(
					PROPERTY + " is 'jdbc', but spring-jdbc is not on the classpath.", addJdbc);
		}
		if (!ClassUtils.isPresent("org.springframework.boot.jdbc.init.DatabaseInitializationProperties", classLoader)) {
			return new XrefJdbcStoreConfigurationException(
					PROPERTY + " is 'jdbc', but Spring Boot's JDBC support (spring-boot-jdbc) is not on the classpath.",
					addJdbc);
		}
		int count = beanFactory.getBeanNamesForType(DataSource.class).length;
		if (count == 0) {
			return new XrefJdbcStoreConfigurationException(
					PROPERTY + " is 'jdbc', but the application has no DataSource.",
					"Add a database (for example spring-boot-starter-jdbc and spring.datasource.url), or "
							+ OR_ANOTHER_TYPE);
		}
		if (count == 1) {
			return new XrefJdbcStoreConfigurationException(
					PROPERTY + " is 'jdbc', but the JDBC store's auto-configuration did not apply to the application's"
							+ " DataSource (it may be excluded, or the DataSource defined after it).",
					"See XrefJdbcStoreAutoConfiguration in the conditions evaluation report (--debug), or define an"
							+ " XrefAccountStore bean, or " + OR_ANOTHER_TYPE);
		}
		return new XrefJdbcStoreConfigurationException(
				PROPERTY + " is 'jdbc', but the application has " + count + " DataSources and none of them is primary.",
				"Mark the DataSource of the store @Primary, or define an XrefAccountStore bean, or " + OR_ANOTHER_TYPE);
	}

	/**
	 * Returns what to do about the problem.
	 * @return the action
	 */
	String getAction() {
		return this.action;
	}

}
