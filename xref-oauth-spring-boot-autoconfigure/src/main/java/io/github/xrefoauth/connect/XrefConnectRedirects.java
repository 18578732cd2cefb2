package io.github.xrefoauth.connect;

import io.github.xrefoauth.event.XrefConnectFailure;

import org.springframework.util.Assert;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where the callback handlers send the end user once a connect ended. Each URL is sent as
 * it is: a path within the application, or an absolute URL.
 *
 * @param successUrl where the end user lands after a successful connect
 * @param failureUrl where the end user lands after a failed connect, before the reason is
 * appended as {@value XrefConnectFailure#PARAMETER}
 * @since 0.1.0
 */
public record XrefConnectRedirects(String successUrl, String failureUrl) {

	/** Both to {@code /}, the handlers' default. */
	public static final XrefConnectRedirects ROOT = new XrefConnectRedirects("/", "/");

	/**
	 * Creates the redirects.
	 * @param successUrl where the end user lands after a successful connect
	 * @param failureUrl where the end user lands after a failed connect
	 */
	public XrefConnectRedirects {
		Assert.hasText(successUrl, "successUrl cannot be empty");
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
	}

	/**
	 * Returns the failure URL with the reason appended as
	 * {@value XrefConnectFailure#PARAMETER}.
	 * @param failure why the connect failed
	 * @return the URL to send the end user to
	 */
	public String failureUrl(XrefConnectFailure failure) {
		return UriComponentsBuilder.fromUriString(this.failureUrl)
			.queryParam(XrefConnectFailure.PARAMETER, failure.code())
			.toUriString();
	}

}
