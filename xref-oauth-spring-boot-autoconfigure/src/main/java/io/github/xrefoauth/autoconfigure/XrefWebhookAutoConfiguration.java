package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.event.XrefEventPublisher;
import io.github.xrefoauth.webhook.XrefWebhookReceiver;
import io.github.xrefoauth.webhook.XrefWebhookStatistics;
import io.github.xrefoauth.webhook.XrefWebhookVerifier;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;

/**
 * {@link AutoConfiguration Auto-configuration} of the receiver of Xref's webhooks when
 * {@code xref.oauth.webhook.path} is set. {@code XrefConfigurer} puts it in every filter
 * chain it is applied to, before the CSRF filter.
 */
@AutoConfiguration(after = XrefWebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(EnableWebSecurity.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "xref.oauth.webhook.path")
@ConditionalOnBean(XrefOAuthProperties.class)
@EnableConfigurationProperties(XrefWebhookProperties.class)
public final class XrefWebhookAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	XrefWebhookVerifier xrefWebhookVerifier() {
		return XrefWebhookVerifier.unverified();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefWebhookStatistics xrefWebhookStatistics() {
		return new XrefWebhookStatistics();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefWebhookReceiver xrefWebhookReceiver(XrefWebhookProperties webhook, XrefOAuthProperties properties,
			Environment environment, XrefWebhookVerifier verifier, XrefWebhookStatistics statistics,
			ApplicationEventPublisher eventPublisher) {
		String path = String.valueOf(webhook.getPath());
		if (path.equals(XrefWebSecurityAutoConfiguration.callbackPath(properties, environment))) {
			throw new InvalidXrefPropertyException("xref.oauth.webhook.path", path,
					"is the callback path of xref.oauth.redirect-uri");
		}
		XrefWebhookReceiver receiver = new XrefWebhookReceiver(path, (int) webhook.getMaxBodySize().toBytes(), verifier,
				statistics);
		receiver.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		return receiver;
	}

}
