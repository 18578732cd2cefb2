package io.github.xrefoauth.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the receiver of Xref's webhooks.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("xref.oauth.webhook")
public class XrefWebhookProperties implements InitializingBean {

	/**
	 * Path within the application that receives Xref's webhooks (the path of the
	 * 'webhook_url' registered with Xref), for example '/integrations/xref/webhook'. No
	 * receiver when not set.
	 */
	private @Nullable String path;

	/**
	 * Largest webhook body accepted; a larger one is answered with 413.
	 */
	private DataSize maxBodySize = DataSize.ofKilobytes(64);

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.path != null && (!this.path.startsWith("/") || this.path.contains("*") || this.path.contains("{"))) {
			throw new InvalidXrefPropertyException("xref.oauth.webhook.path", this.path,
					"is not a path that starts with '/' (without patterns)");
		}
		long bytes = (this.maxBodySize != null) ? this.maxBodySize.toBytes() : 0;
		if (bytes <= 0 || bytes > Integer.MAX_VALUE - 1) {
			throw new InvalidXrefPropertyException("xref.oauth.webhook.max-body-size", String.valueOf(this.maxBodySize),
					"is not a size between 1B and 2GB");
		}
	}

}
