package io.github.xrefoauth.autoconfigure;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The URLs a platform registers with Xref ({@code redirect_url}, {@code webhook_url}) and
 * Xref's rule that the redirect URL is HTTPS.
 */
public final class XrefRedirectUris {

	private static final Log logger = LogFactory.getLog(XrefRedirectUris.class);

	private XrefRedirectUris() {
	}

	/**
	 * Whether a URL is HTTPS.
	 * @param url an absolute URL
	 * @return {@code true} for {@code https}
	 */
	public static boolean isHttps(String url) {
		return "https".equalsIgnoreCase(URI.create(url).getScheme());
	}

	/**
	 * Logs a warning when the redirect URL is not HTTPS on a host other than
	 * {@code localhost} or a loopback address: Xref accepts only an HTTPS
	 * {@code redirect_url} when a platform registers.
	 * @param redirectUri the redirect URL
	 * @return whether it warned
	 */
	public static boolean warnIfNotHttps(String redirectUri) {
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
	public static @Nullable String webhookUrl(String redirectUri, @Nullable String contextPath,
			@Nullable String webhookPath) {
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
