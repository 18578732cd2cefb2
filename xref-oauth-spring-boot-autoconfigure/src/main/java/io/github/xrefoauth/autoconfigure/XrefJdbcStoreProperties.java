package io.github.xrefoauth.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;

/**
 * Configuration properties of the JDBC account store.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("xref.oauth.store.jdbc")
public class XrefJdbcStoreProperties extends DatabaseInitializationProperties implements InitializingBean {

	private static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/github/xrefoauth/jdbc/schema-@@platform@@.sql";

	/**
	 * How long a connection read from the database is reused at most. Changes made on
	 * other instances evict it sooner (see change-poll-interval); this is the safety net
	 * should that fail. 0 reads the database on every call.
	 */
	private Duration cacheTtl = Duration.ofSeconds(30);

	/**
	 * Maximum number of tenants, and of accounts, that the read cache holds; beyond it
	 * the least used entries are evicted.
	 */
	private long cacheMaximumSize = 100_000;

	/**
	 * How often each instance reads the changes that other instances made (table
	 * xref_account_change) and evicts them from its cache: a disconnect or reconnect on
	 * one instance is in force on the others after about this time.
	 */
	private Duration changePollInterval = Duration.ofMillis(200);

	private final Encryption encryption = new Encryption();

	@Override
	public void afterPropertiesSet() {
		validate();
	}

	private void validate() {
		if (this.cacheTtl.isNegative()) {
			throw new XrefJdbcStoreConfigurationException(
					"xref.oauth.store.jdbc.cache-ttl is negative (it is '" + this.cacheTtl + "').",
					"Set xref.oauth.store.jdbc.cache-ttl to 0 (no cache) or a positive duration, e.g. 30s.");
		}
		if (this.cacheMaximumSize <= 0) {
			throw new XrefJdbcStoreConfigurationException(
					"xref.oauth.store.jdbc.cache-maximum-size is not positive (it is " + this.cacheMaximumSize + ").",
					"Set xref.oauth.store.jdbc.cache-maximum-size to a positive number, e.g. 100000, or turn the"
							+ " cache off with xref.oauth.store.jdbc.cache-ttl=0.");
		}
		if (this.changePollInterval.isNegative() || this.changePollInterval.isZero()) {
			throw new XrefJdbcStoreConfigurationException(
					"xref.oauth.store.jdbc.change-poll-interval is not positive (it is '" + this.changePollInterval
							+ "').",
					"Set xref.oauth.store.jdbc.change-poll-interval to a positive duration, e.g. 200ms.");
		}
	}

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	public void setCacheTtl(Duration cacheTtl) {
		this.cacheTtl = cacheTtl;
	}

	public long getCacheMaximumSize() {
		return this.cacheMaximumSize;
	}

	public void setCacheMaximumSize(long cacheMaximumSize) {
		this.cacheMaximumSize = cacheMaximumSize;
	}

	public Duration getChangePollInterval() {
		return this.changePollInterval;
	}

	public void setChangePollInterval(Duration changePollInterval) {
		this.changePollInterval = changePollInterval;
	}

	public Encryption getEncryption() {
		return this.encryption;
	}

	/**
	 * Encryption of the stored tokens.
	 *
	 * @since 0.1.0
	 */
	public static class Encryption {

		/**
		 * Id of the key that encrypts new tokens. May be omitted when only one key is
		 * configured.
		 */
		private @Nullable String currentKeyId;

		/**
		 * Keys that encrypt or once encrypted tokens, by key id. Keep an old key until
		 * the tokens were re-encrypted.
		 */
		private final Map<String, Key> keys = new LinkedHashMap<>();

		/**
		 * Base64-encoded key, at least 32 bytes, of the HMAC-SHA256 hash that finds a
		 * stored token. Unlike the encryption keys it does not rotate on its own.
		 * Whitespace around it is ignored.
		 */
		private @Nullable String hashKey;

		/**
		 * Whether to store tokens in plain text when no key is configured. Only for
		 * development databases.
		 */
		private boolean allowPlaintext;

		public @Nullable String getCurrentKeyId() {
			return this.currentKeyId;
		}

		public void setCurrentKeyId(@Nullable String currentKeyId) {
			this.currentKeyId = currentKeyId;
		}

		public Map<String, Key> getKeys() {
			return this.keys;
		}

		public @Nullable String getHashKey() {
			return this.hashKey;
		}

		public void setHashKey(@Nullable String hashKey) {
			this.hashKey = hashKey;
		}

		public boolean isAllowPlaintext() {
			return this.allowPlaintext;
		}

		public void setAllowPlaintext(boolean allowPlaintext) {
			this.allowPlaintext = allowPlaintext;
		}

	}

	/**
	 * One AES-GCM key.
	 *
	 * @since 0.1.0
	 */
	public static class Key {

		/**
		 * Base64-encoded AES key of 16, 24 or 32 bytes. Whitespace around it, such as the
		 * newline at the end of a mounted secret file, is ignored.
		 */
		private @Nullable String secret;

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

	}

}
