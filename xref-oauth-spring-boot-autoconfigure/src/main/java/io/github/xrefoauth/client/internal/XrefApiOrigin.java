package io.github.xrefoauth.client.internal;

import java.net.URI;

import org.springframework.util.Assert;

/**
 * The scheme, host and port of the Xref API: the only origin that receives tokens.
 *
 * @since 0.1.0
 */
public final class XrefApiOrigin {

	private final URI apiUri;

	/**
	 * Creates the origin of the given base URL.
	 * @param apiUri the base URL of the Xref API
	 */
	public XrefApiOrigin(String apiUri) {
		Assert.hasText(apiUri, "apiUri cannot be empty");
		this.apiUri = URI.create(apiUri);
	}

	/**
	 * Whether a request to the target may carry a token.
	 * @param target the request's URL
	 * @return {@code true} for the scheme, host and port of the Xref API
	 */
	public boolean matches(URI target) {
		return this.apiUri.getScheme().equalsIgnoreCase(target.getScheme())
				&& this.apiUri.getHost().equalsIgnoreCase(target.getHost()) && port(this.apiUri) == port(target);
	}

	/**
	 * Returns the exception for a request to another origin. It names the hosts, never a
	 * path or query.
	 * @param clientName the client that refused, for the message
	 * @param target the request's URL
	 * @return the exception to throw
	 */
	public IllegalArgumentException refuse(String clientName, URI target) {
		return new IllegalArgumentException(
				clientName + " sends Xref tokens only to " + this + ", not to " + target.getHost());
	}

	/**
	 * Returns the origin as {@code scheme://host[:port]}.
	 */
	@Override
	public String toString() {
		return this.apiUri.getScheme() + "://" + this.apiUri.getAuthority();
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
