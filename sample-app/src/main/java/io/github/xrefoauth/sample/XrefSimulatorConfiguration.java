package io.github.xrefoauth.sample;

import io.github.xrefoauth.autoconfigure.XrefOAuthProperties;
import io.github.xrefoauth.test.XrefSimulator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs a local Xref simulator inside the application, on {@code sample.simulator.port},
 * and registers the platform with it using {@code xref.oauth.client-id},
 * {@code client-secret} and {@code redirect-uri}. Off when
 * {@code sample.simulator.enabled=false}, as it is for the real Xref.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sample.simulator.enabled")
class XrefSimulatorConfiguration {

	private static final Log logger = LogFactory.getLog(XrefSimulatorConfiguration.class);

	@Bean(destroyMethod = "close")
	XrefSimulator xrefSimulator(@Value("${sample.simulator.port}") int port, XrefOAuthProperties properties) {
		XrefSimulator simulator = XrefSimulator.start(port);
		simulator.registerClient(properties.getClientId(), properties.getClientSecret(), properties.getRedirectUri());
		logger.info("Xref simulator running at " + simulator.baseUrl() + "; revoke accounts at " + simulator.baseUrl()
				+ "/simulator");
		return simulator;
	}

}
