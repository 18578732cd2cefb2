package io.github.xrefoauth.test;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The simulator's HTML pages: the consent page at the authorize URL and a page to revoke
 * accounts "at Xref".
 */
final class SimulatorPages {

	private SimulatorPages() {
	}

	static String consent(String clientId, @Nullable String state, String defaultAccountId) {
		return page("Connect to Xref", """
				<h1>Xref (simulator)</h1>
				<p>The platform <code>%s</code> asks for access to your Xref account.</p>
				<form method="post" action="%s%s">
				  <input type="hidden" name="state" value="%s">
				  <label>Xref account id <input id="xref-account" name="account" value="%s"></label>
				  <p>
				    <button id="allow" type="submit" name="decision" value="allow">Allow</button>
				    <button id="deny" type="submit" name="decision" value="deny">Deny</button>
				  </p>
				</form>
				""".formatted(escape(clientId), XrefSimulatorDispatcher.AUTHORIZE_PREFIX, escape(clientId),
				escape((state != null) ? state : ""), escape(defaultAccountId)));
	}

	static String admin(Set<String> connectedAccounts) {
		StringBuilder rows = new StringBuilder();
		for (String account : connectedAccounts) {
			rows.append("""
					<li><code>%1$s</code>
					  <form method="post" action="/simulator/revoke" style="display:inline">
					    <input type="hidden" name="account" value="%1$s">
					    <button class="revoke" type="submit">Revoke at Xref</button>
					  </form>
					</li>
					""".formatted(escape(account)));
		}
		return page("Xref simulator",
				"<h1>Xref (simulator)</h1><h2>Accounts with a valid token</h2><ul id=\"accounts\">" + rows + "</ul>");
	}

	static String message(String title, String text) {
		return page(title, "<h1>" + escape(title) + "</h1><p>" + escape(text) + "</p>");
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body>"
				+ body + "</body></html>";
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;")
			.replace("<", "&lt;")
			.replace(">", "&gt;")
			.replace("\"", "&quot;")
			.replace("'", "&#39;");
	}

}
