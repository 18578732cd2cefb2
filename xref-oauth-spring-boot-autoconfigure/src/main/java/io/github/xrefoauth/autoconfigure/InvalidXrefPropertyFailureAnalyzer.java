package io.github.xrefoauth.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a missing or wrong {@code xref.oauth.*} property at start-up.
 */
class InvalidXrefPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidXrefPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidXrefPropertyException cause) {
		String description = "The Xref OAuth starter is enabled, but " + cause.getProperty() + " " + cause.getProblem()
				+ ((cause.getValue() != null) ? " (it is '" + cause.getValue() + "')." : ".");
		return new FailureAnalysis(description, action(cause.getProperty()), cause);
	}

	private static String action(String property) {
		String what = switch (property) {
			case "xref.oauth.client-id", "xref.oauth.client-secret" ->
				"to the value that Xref issued when you registered your platform";
			case "xref.oauth.redirect-uri" ->
				"to the absolute redirect URL you registered with Xref, e.g. https://example.com/integrations/xref";
			case "xref.oauth.connect-timeout", "xref.oauth.read-timeout" -> "to a positive duration, e.g. 10s";
			case "xref.oauth.max-concurrent-calls" -> "to a positive number, e.g. 50";
			case "xref.oauth.success-url", "xref.oauth.failure-url" ->
				"to a page of your application other than the callback, e.g. /";
			case XrefOAuthSettings.SERVICE_CLIENT_BASE_URL_PROPERTY ->
				"to a URL on the origin of xref.oauth.api-uri, or remove it";
			default -> "to an absolute http(s) URL or a path, as its description says";
		};
		return "Set " + property + " " + what + ", or set xref.oauth.enabled=false to turn the starter off.";
	}

}
