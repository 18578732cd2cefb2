package io.github.xrefoauth.autoconfigure;

import java.util.Locale;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.actuate.XrefEndpoint;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.webhook.XrefWebhookStatistics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code xref} Actuator endpoint.
 * Like Boot's own endpoints it is not exposed over the web until
 * {@code management.endpoints.web.exposure.include} names it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { XrefOAuthAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class,
		XrefWebSecurityAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(XrefOAuthProperties.class)
public final class XrefEndpointAutoConfiguration {

	/**
	 * Apart from the class conditions above, which must pass before
	 * {@code @ConditionalOnAvailableEndpoint} can be read.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(XrefEndpoint.class)
	static class XrefEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefEndpoint xrefEndpoint(XrefOAuthProperties properties, Environment environment, XrefAccountStore store,
				XrefConnectOutcomes connectOutcomes, ObjectProvider<XrefWebhookProperties> webhookProperties,
				ObjectProvider<XrefWebhookStatistics> webhookStatistics, ObjectProvider<XrefHealthCheck> healthCheck) {
			String redirectUri = String.valueOf(properties.getRedirectUri());
			XrefWebhookProperties webhook = webhookProperties.getIfAvailable();
			XrefWebhookStatistics statistics = webhookStatistics.getIfAvailable();
			String webhookPath = (webhook != null && statistics != null) ? webhook.getPath() : null;
			XrefEndpoint.Registration registration = new XrefEndpoint.Registration(
					String.valueOf(properties.getClientId()), redirectUri, XrefOAuthSettings.isHttps(redirectUri),
					XrefOAuthSettings.webhookUrl(redirectUri, environment.getProperty("server.servlet.context-path"),
							webhookPath));
			XrefEndpoint.WebhookSettings webhookSettings = (webhookPath != null)
					? new XrefEndpoint.WebhookSettings(webhookPath, webhook.getMaxBodySize().toBytes(), statistics)
					: null;
			XrefEndpoint endpoint = new XrefEndpoint(registration,
					properties.getStore().getType().name().toLowerCase(Locale.ROOT), store, connectOutcomes,
					webhookSettings);
			endpoint.setHealthCheck(healthCheck.getIfUnique());
			return endpoint;
		}

	}

}
