package io.github.xrefoauth.autoconfigure.jdbc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why the JDBC account store could not start: no {@code DataSource}, or no
 * encryption key.
 */
class XrefJdbcStoreConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<XrefJdbcStoreConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, XrefJdbcStoreConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
