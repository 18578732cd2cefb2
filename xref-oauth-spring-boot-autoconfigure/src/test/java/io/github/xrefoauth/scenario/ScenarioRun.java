package io.github.xrefoauth.scenario;

import java.net.URI;
import java.util.List;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.flow.FaultyStore;
import io.github.xrefoauth.test.XrefSimulator;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a scenario works with on one stack: its running platform, the Xref simulator and
 * Xref's API origin in front of it, and browsers that log in to the platform.
 */
final class ScenarioRun {

	static final String ACME = "acct-acme";

	static final String GLOBEX = "acct-globex";

	static final String CONNECTED = "/connected";

	static final String CONNECT_PATH = "/oauth2/authorization/xref";

	final XrefSimulator xref;

	final StallableXrefApi api;

	private final Stack.Platform platform;

	ScenarioRun(Stack.Platform platform, XrefSimulator xref, StallableXrefApi api) {
		this.platform = platform;
		this.xref = xref;
		this.api = api;
	}

	/**
	 * Forgets what earlier scenarios left: connections, tokens, faults, requests, events.
	 */
	void reset() {
		store().fault = FaultyStore.Fault.NONE;
		for (String account : List.of(ACME, GLOBEX)) {
			store().deleteAccount(account);
			this.xref.revokeAccount(account);
		}
		this.api.reset();
		this.xref.clearRequests();
		this.platform.events().clear();
	}

	/** Opens a browser and logs the end user in. */
	Browser browser(String username) {
		return new Browser(this.platform.port()).login(username);
	}

	/** Opens a browser that logs in to nothing. */
	Browser anonymous() {
		return new Browser(this.platform.port());
	}

	/** Returns the platform's own origin, e.g. {@code http://localhost:8080}. */
	String origin() {
		return "http://localhost:" + this.platform.port();
	}

	/** Resolves a {@code Location} against the platform's origin. */
	String resolve(String location) {
		return URI.create(origin() + "/").resolve(location).toString();
	}

	FaultyStore store() {
		return this.platform.store();
	}

	List<XrefConnectionEvent> events() {
		return this.platform.events().all();
	}

	void clearEvents() {
		this.platform.events().clear();
	}

	/** Starts a connect in the browser and allows it on Xref's consent page. */
	String approve(Browser browser, String account) {
		return this.xref.approve(browser.startConnect(), account);
	}

	/** Connects the account in the browser and returns where the end user lands. */
	String connect(Browser browser, String account) {
		return browser.callback(approve(browser, account));
	}

	String accessToken(String tenant) {
		return store().findByTenant(tenant).map(XrefConnection::accessToken).orElseThrow();
	}

	static String failed(String code) {
		return "/connect-failed?xref_error=" + code;
	}

	/** Returns the callback with one query parameter replaced, or removed. */
	static String withParameter(String callback, String name, String... values) {
		return UriComponentsBuilder.fromUriString(callback)
			.replaceQueryParam(name, (Object[]) values)
			.build(true)
			.toUriString();
	}

	void assertNothingExchangedOrStored() {
		assertThat(this.xref.requests("/oauth/tokens")).as("token requests").isEmpty();
		assertNothingStored();
	}

	void assertNothingStored() {
		assertThat(store().findByTenant("acme")).as("connection of acme").isEmpty();
		assertThat(store().findByTenant("globex")).as("connection of globex").isEmpty();
		assertThat(store().findByAccount(ACME)).as("account " + ACME).isEmpty();
		assertThat(store().findByAccount(GLOBEX)).as("account " + GLOBEX).isEmpty();
	}

	/** Asserts that exactly one failed connect was published, for the reason given. */
	void assertConnectFailedEvent(String code, @Nullable String endUser) {
		assertThat(events()).as("events")
			.singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class, (event) -> {
				assertThat(event.reason().code()).as("reason").isEqualTo(code);
				assertThat(event.endUser()).as("end user").isEqualTo(endUser);
			});
	}

}
