package io.github.xrefoauth.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why the JDBC store could not start: no spring-jdbc, no single
 * {@code DataSource}, missing tables, a missing or wrong key or property, or stored
 * tokens that the configured keys do not decrypt.
 */
class XrefJdbcStoreConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<XrefJdbcStoreConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, XrefJdbcStoreConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
