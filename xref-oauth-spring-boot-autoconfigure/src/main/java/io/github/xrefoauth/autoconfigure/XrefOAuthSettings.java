package io.github.xrefoauth.autoconfigure;

import java.net.URI;
import java.time.Duration;

import io.github.xrefoauth.client.internal.XrefApiOrigin;
import io.github.xrefoauth.client.internal.XrefHttpServiceGroupConfigurer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the auto-configurations derive from {@code xref.oauth.*} and share: the settings
 * of every HTTP client that calls Xref, the callback path within the application, the
 * base URL of the {@code xref} HTTP service group, and the URLs a platform registers with
 * Xref ({@code redirect_url}, {@code webhook_url}).
 */
final class XrefOAuthSettings {

	static final String SERVICE_CLIENT_BASE_URL_PROPERTY = "spring.http.serviceclient."
			+ XrefHttpServiceGroupConfigurer.GROUP + ".base-url";

	private static final Log logger = LogFactory.getLog(XrefOAuthSettings.class);

	private static final HttpClientSettings DEFAULT_TIMEOUTS = HttpClientSettings.defaults()
		.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

	private XrefOAuthSettings() {
	}

	/**
	 * The settings of every client that calls Xref: {@code xref.oauth.*} timeouts over
	 * the application's {@code spring.http.clients.*}, never following redirects. Xref's
	 * answers are never redirects: following one would hide a fault (and could carry the
	 * request elsewhere).
	 * @param properties the starter's properties
	 * @param applicationSettings the application's HTTP client settings
	 * @return the settings
	 */
	static HttpClientSettings httpClientSettings(XrefOAuthProperties properties,
			HttpClientSettings applicationSettings) {
		return new HttpClientSettings(HttpRedirects.DONT_FOLLOW, properties.getConnectTimeout(),
				properties.getReadTimeout(), null)
			.orElse(applicationSettings)
			.orElse(DEFAULT_TIMEOUTS);
	}

	/**
	 * The path of the redirect URL within a servlet application: without the servlet
	 * context path, which the redirect URL includes.
	 * @param properties the starter's properties
	 * @param environment the application's environment
	 * @return the callback path
	 */
	static String servletCallbackPath(XrefOAuthProperties properties, Environment environment) {
		return callbackPath(properties, environment.getProperty("server.servlet.context-path", ""));
	}

	/**
	 * The path of the redirect URL within a WebFlux application: without
	 * {@code spring.webflux.base-path}, which the redirect URL includes.
	 * @param properties the starter's properties
	 * @param environment the application's environment
	 * @return the callback path
	 */
	static String reactiveCallbackPath(XrefOAuthProperties properties, Environment environment) {
		return callbackPath(properties, environment.getProperty("spring.webflux.base-path", ""));
	}

	private static String callbackPath(XrefOAuthProperties properties, String prefix) {
		String path = URI.create(properties.getRedirectUri()).getRawPath();
		String trimmedPrefix = StringUtils.trimTrailingCharacter(prefix, '/');
		if (!trimmedPrefix.isEmpty() && path.startsWith(trimmedPrefix + "/")) {
			path = path.substring(trimmedPrefix.length());
		}
		return path.isEmpty() ? "/" : path;
	}

	/**
	 * The base URL of the {@code xref} HTTP service group: the Xref API, or
	 * {@code spring.http.serviceclient.xref.base-url} if it is set: then it must be on
	 * the API's origin, the only one that gets tokens.
	 * @param properties the starter's properties
	 * @param environment the application's environment
	 * @return the base URL
	 * @throws InvalidXrefPropertyException if the base URL is on another origin
	 */
	static String serviceClientBaseUrl(XrefOAuthProperties properties, Environment environment) {
		String baseUrl = environment.getProperty(SERVICE_CLIENT_BASE_URL_PROPERTY);
		if (!StringUtils.hasText(baseUrl)) {
			return properties.getApiUri();
		}
		XrefApiOrigin api = new XrefApiOrigin(properties.getApiUri());
		URI uri;
		try {
			uri = URI.create(baseUrl);
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		if (uri == null || uri.getScheme() == null || uri.getHost() == null || !api.matches(uri)) {
			throw new InvalidXrefPropertyException(SERVICE_CLIENT_BASE_URL_PROPERTY, baseUrl,
					"is not on the origin of xref.oauth.api-uri (" + api + "), the only one that gets Xref tokens");
		}
		return baseUrl;
	}

	/**
	 * Whether a URL is HTTPS.
	 * @param url an absolute URL
	 * @return {@code true} for {@code https}
	 */
	static boolean isHttps(String url) {
		return "https".equalsIgnoreCase(URI.create(url).getScheme());
	}

	/**
	 * Logs a warning when the redirect URL is not HTTPS on a host other than
	 * {@code localhost} or a loopback address: Xref accepts only an HTTPS
	 * {@code redirect_url} when a platform registers.
	 * @param redirectUri the redirect URL
	 * @return whether it warned
	 */
	static boolean warnIfNotHttps(String redirectUri) {
		if (isHttps(redirectUri) || isLocal(URI.create(redirectUri).getHost())) {
			return false;
		}
		logger.warn("xref.oauth.redirect-uri " + redirectUri + " is not HTTPS: Xref requires an HTTPS redirect_url"
				+ " for a registered platform. Use https:// (plain http is fine only on localhost).");
		return true;
	}

	private static boolean isLocal(@Nullable String host) {
		return host != null && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
				|| host.equals("::1"));
	}

	/**
	 * Returns the URL to register as Xref's {@code webhook_url}: the webhook path on the
	 * origin and context path of the redirect URL.
	 * @param redirectUri the redirect URL
	 * @param contextPath the servlet context path, may be empty
	 * @param webhookPath the webhook path within the application
	 * @return the URL, or {@code null} without a webhook path
	 */
	static @Nullable String webhookUrl(String redirectUri, @Nullable String contextPath, @Nullable String webhookPath) {
		if (!StringUtils.hasText(webhookPath)) {
			return null;
		}
		String prefix = StringUtils.trimTrailingCharacter((contextPath != null) ? contextPath : "", '/');
		return UriComponentsBuilder.fromUriString(redirectUri)
			.replacePath(prefix + webhookPath)
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUriString();
	}

}
