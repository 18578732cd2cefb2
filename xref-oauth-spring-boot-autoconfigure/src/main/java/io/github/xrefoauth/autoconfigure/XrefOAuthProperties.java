package io.github.xrefoauth.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * Configuration properties for connecting Xref accounts.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("xref.oauth")
public class XrefOAuthProperties implements InitializingBean {

	/**
	 * Whether to enable the Xref OAuth starter.
	 */
	private boolean enabled = true;

	/**
	 * Client id that Xref issued when the platform was registered.
	 */
	private @Nullable String clientId;

	/**
	 * Client secret that Xref issued when the platform was registered.
	 */
	private @Nullable String clientSecret;

	/**
	 * Absolute redirect URL registered with Xref. Its path receives Xref's callback.
	 */
	private @Nullable String redirectUri;

	/**
	 * Base URL of Xref's authorize page.
	 */
	private String loginUri = "https://login.xref.com";

	/**
	 * Base URL of the Xref Open API.
	 */
	private String apiUri = "https://api-open.xref.com";

	/**
	 * Where the end user lands after a successful connect.
	 */
	private String successUrl = "/";

	/**
	 * Where the end user lands after a failed connect; the reason code is appended as the
	 * 'xref_error' query parameter.
	 */
	private String failureUrl = "/";

	/**
	 * Connect timeout for calls to Xref. When not set,
	 * 'spring.http.clients.connect-timeout' applies, and without that 5s.
	 */
	private @Nullable Duration connectTimeout;

	/**
	 * Read timeout for calls to Xref. When not set, 'spring.http.clients.read-timeout'
	 * applies, and without that 10s.
	 */
	private @Nullable Duration readTimeout;

	/**
	 * Maximum number of calls to Xref in progress at once, across the token exchange and
	 * xrefRestClient. A call beyond it fails at once with XrefBusyException, so that a
	 * stalled Xref cannot hold every request thread.
	 */
	private int maxConcurrentCalls = 50;

	/**
	 * Whether to add the connect and callback filters to every security filter chain
	 * built from Spring Security's HttpSecurity bean. When false, add them to a chain
	 * with 'http.with(XrefConfigurer.xref())'. In a WebFlux application the same holds
	 * for the ServerHttpSecurity bean and the 'XrefServerHttpSecurityCustomizer' bean.
	 */
	private boolean applyToFilterChains = true;

	private final Store store = new Store();

	private final NotConnectedHandling notConnectedHandling = new NotConnectedHandling();

	private final HealthCheck healthCheck = new HealthCheck();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public @Nullable String getClientSecret() {
		return this.clientSecret;
	}

	public void setClientSecret(@Nullable String clientSecret) {
		this.clientSecret = clientSecret;
	}

	public @Nullable String getRedirectUri() {
		return this.redirectUri;
	}

	public void setRedirectUri(@Nullable String redirectUri) {
		this.redirectUri = redirectUri;
	}

	public String getLoginUri() {
		return this.loginUri;
	}

	public void setLoginUri(String loginUri) {
		this.loginUri = loginUri;
	}

	public String getApiUri() {
		return this.apiUri;
	}

	public void setApiUri(String apiUri) {
		this.apiUri = apiUri;
	}

	public String getSuccessUrl() {
		return this.successUrl;
	}

	public void setSuccessUrl(String successUrl) {
		this.successUrl = successUrl;
	}

	public String getFailureUrl() {
		return this.failureUrl;
	}

	public void setFailureUrl(String failureUrl) {
		this.failureUrl = failureUrl;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(@Nullable Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public int getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(int maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public boolean isApplyToFilterChains() {
		return this.applyToFilterChains;
	}

	public void setApplyToFilterChains(boolean applyToFilterChains) {
		this.applyToFilterChains = applyToFilterChains;
	}

	public Store getStore() {
		return this.store;
	}

	public NotConnectedHandling getNotConnectedHandling() {
		return this.notConnectedHandling;
	}

	public HealthCheck getHealthCheck() {
		return this.healthCheck;
	}

	@Override
	public void afterPropertiesSet() {
		validate();
	}

	/**
	 * Checks that the required properties are set and that the URLs are usable.
	 * @throws IllegalStateException naming the first property that is wrong
	 */
	public void validate() {
		requireText("client-id", this.clientId);
		requireText("client-secret", this.clientSecret);
		requireText("redirect-uri", this.redirectUri);
		requireHttpUrl("redirect-uri", this.redirectUri);
		requireBaseUrl("login-uri", this.loginUri);
		requireBaseUrl("api-uri", this.apiUri);
		requireText("success-url", this.successUrl);
		requireText("failure-url", this.failureUrl);
		requireOwnCallbackPath();
		requirePositive("connect-timeout", this.connectTimeout);
		requirePositive("read-timeout", this.readTimeout);
		if (this.maxConcurrentCalls < 1) {
			throw new InvalidXrefPropertyException("xref.oauth.max-concurrent-calls",
					String.valueOf(this.maxConcurrentCalls), "is not a positive number");
		}
		requirePositive("health-check.interval", this.healthCheck.getInterval());
		if (!(this.healthCheck.getMaxRate() > 0 && Double.isFinite(this.healthCheck.getMaxRate()))) {
			throw new InvalidXrefPropertyException("xref.oauth.health-check.max-rate",
					String.valueOf(this.healthCheck.getMaxRate()), "is not a positive finite number");
		}
	}

	private static void requireText(String property, @Nullable String value) {
		if (!StringUtils.hasText(value)) {
			throw new InvalidXrefPropertyException("xref.oauth." + property, null, "is not set");
		}
	}

	/**
	 * A base URL that Xref's paths are appended to: no query or fragment after it.
	 */
	private static void requireBaseUrl(String property, @Nullable String value) {
		URI uri = requireHttpUrl(property, value);
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new InvalidXrefPropertyException("xref.oauth." + property, value,
					"has a query or fragment; it is a base URL that Xref's paths are appended to");
		}
	}

	private static URI requireHttpUrl(String property, @Nullable String value) {
		URI uri;
		try {
			uri = URI.create(String.valueOf(value));
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		boolean http = uri != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
				&& uri.getHost() != null;
		if (!http) {
			throw new InvalidXrefPropertyException("xref.oauth." + property, value, "is not an absolute http(s) URL");
		}
		return uri;
	}

	/**
	 * The callback path must be a path of its own: every request to it is taken for
	 * Xref's callback, so the end user could never land there, nor on {@code /}.
	 */
	private void requireOwnCallbackPath() {
		String callbackPath = URI.create(String.valueOf(this.redirectUri)).getPath();
		if (!StringUtils.hasText(callbackPath) || "/".equals(callbackPath)) {
			throw new InvalidXrefPropertyException("xref.oauth.redirect-uri", this.redirectUri,
					"has no path of its own for Xref's callback");
		}
		if (callbackPath.equals(pathOf(this.successUrl))) {
			throw new InvalidXrefPropertyException("xref.oauth.success-url", this.successUrl,
					"is the callback path of xref.oauth.redirect-uri");
		}
		if (callbackPath.equals(pathOf(this.failureUrl))) {
			throw new InvalidXrefPropertyException("xref.oauth.failure-url", this.failureUrl,
					"is the callback path of xref.oauth.redirect-uri");
		}
	}

	private static @Nullable String pathOf(String url) {
		try {
			return URI.create(url).getPath();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static void requirePositive(String property, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidXrefPropertyException("xref.oauth." + property, String.valueOf(value),
					"is not a positive duration");
		}
	}

	/**
	 * Where connected accounts are stored.
	 *
	 * @since 0.1.0
	 */
	public static class Store {

		/**
		 * Store for connected accounts: 'auto' uses JDBC when a DataSource is present and
		 * memory otherwise.
		 */
		private StoreType type = StoreType.AUTO;

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

	}

	/**
	 * What happens to a request that fails because the tenant has no Xref connection.
	 *
	 * @since 0.1.0
	 */
	public static class NotConnectedHandling {

		/**
		 * Whether a request that fails because the tenant has no Xref connection sends a
		 * browser to connect and answers other clients with a 409 problem detail, instead
		 * of a 500.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The scheduled check of every stored connection's token.
	 *
	 * @since 0.1.0
	 */
	public static class HealthCheck {

		/**
		 * How often each stored connection's token is verified at Xref (POST /auth),
		 * spread over the interval. When not set, there is no health check.
		 */
		private @Nullable Duration interval;

		/**
		 * Maximum number of health check calls to Xref per second, per instance.
		 */
		private double maxRate = 5;

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public double getMaxRate() {
			return this.maxRate;
		}

		public void setMaxRate(double maxRate) {
			this.maxRate = maxRate;
		}

	}

	/**
	 * Kinds of account store.
	 *
	 * @since 0.1.0
	 */
	public enum StoreType {

		/** JDBC when a DataSource is present, memory otherwise. */
		AUTO,

		/** In memory; connections are lost when the application stops. */
		MEMORY,

		/** In the application's database. */
		JDBC

	}

}
