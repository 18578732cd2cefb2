package io.github.xrefoauth.jdbc;

import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.flow.reactive.EventLoopGuard;
import io.github.xrefoauth.flow.reactive.ReactiveBrowser;
import io.github.xrefoauth.flow.reactive.ReactiveFlowTestApplication;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.web.server.JdbcServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.ServerXrefAuthorizationRequestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two WebFlux application instances on one PostgreSQL database, with the JDBC store and
 * its pending connects: a connect started on one completes on the other, its state is
 * single use across both, and no database call runs on an event-loop thread.
 */
class ReactiveJdbcPostgreSqlConnectAcrossInstancesTests {

	static final XrefSimulator xref = ReactiveBrowser.XREF;

	private static TestDatabase database;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	@BeforeAll
	static void startInstances() {
		database = TestDatabase.postgresql();
		instanceA = start();
		instanceB = start();
	}

	@AfterAll
	static void stopInstances() {
		if (instanceA != null) {
			instanceA.close();
		}
		if (instanceB != null) {
			instanceB.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@BeforeEach
	void clear() {
		database.jdbc().sql("DELETE FROM xref_authorization_request").update();
		database.jdbc().sql("DELETE FROM xref_tenant").update();
		database.jdbc().sql("DELETE FROM xref_account").update();
		xref.clearRequests();
	}

	@Test
	void connectStartedOnOneInstanceCompletesOnTheOther() {
		assertThat(instanceA.getBean(ServerXrefAuthorizationRequestRepository.class))
			.isInstanceOf(JdbcServerXrefAuthorizationRequestRepository.class);
		ReactiveBrowser aliceOnA = new ReactiveBrowser(port(instanceA), "alice");
		String callback = xref.approve(aliceOnA.startConnect(), "acct-acme");
		assertThat(aliceOnA.cookies()).containsKey("XREF_CONNECT");
		ReactiveBrowser aliceOnB = new ReactiveBrowser(port(instanceB), "alice");
		aliceOnB.cookies().putAll(aliceOnA.cookies());

		assertThat(aliceOnB.callback(callback)).isEqualTo("/");

		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		String token = instanceA.getBean(XrefAccountStore.class).findByTenant("acme").orElseThrow().accessToken();
		ReactiveBrowser bobOnA = new ReactiveBrowser(port(instanceA), "bob");
		assertThat(bobOnA.send("GET", "/api/connection").getResponseBody()).isEqualTo("acct-acme");
		assertThat(bobOnA.send("POST", "/api/auth").getStatus().value()).isEqualTo(200);
		assertThat(xref.requests("/auth")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
		assertThat(database.jdbc().sql("SELECT COUNT(*) FROM xref_authorization_request").query(Integer.class).single())
			.isZero();
		assertThat(EventLoopGuard.violations).isEmpty();
	}

	@Test
	void stateIsSingleUseAcrossInstances() {
		ReactiveBrowser aliceOnA = new ReactiveBrowser(port(instanceA), "alice");
		String callback = xref.approve(aliceOnA.startConnect(), "acct-acme");
		ReactiveBrowser aliceOnB = new ReactiveBrowser(port(instanceB), "alice");
		aliceOnB.cookies().putAll(aliceOnA.cookies());
		assertThat(aliceOnB.callback(callback)).isEqualTo("/");

		assertThat(aliceOnA.callback(callback)).isEqualTo("/?xref_error=invalid_state");

		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
	}

	@Test
	void callbackFromAnotherBrowserOrEndUserIsRejected() {
		ReactiveBrowser aliceOnA = new ReactiveBrowser(port(instanceA), "alice");
		String callback = xref.approve(aliceOnA.startConnect(), "acct-acme");
		ReactiveBrowser otherBrowser = new ReactiveBrowser(port(instanceB), "alice");
		ReactiveBrowser bobInAlicesBrowser = new ReactiveBrowser(port(instanceB), "bob");
		bobInAlicesBrowser.cookies().putAll(aliceOnA.cookies());

		assertThat(otherBrowser.callback(callback)).isEqualTo("/?xref_error=invalid_state");
		assertThat(bobInAlicesBrowser.callback(callback)).isEqualTo("/?xref_error=invalid_state");

		assertThat(xref.requests("/oauth/tokens")).isEmpty();
		assertThat(instanceB.getBean(XrefAccountStore.class).findByTenant("acme")).isEmpty();
	}

	@Test
	void stateWithControlCharactersOrLongerThanTheColumnIsUnknownWithoutAStoreFault() {
		ReactiveBrowser aliceOnA = new ReactiveBrowser(port(instanceA), "alice");
		String callback = xref.approve(aliceOnA.startConnect(), "acct-acme");
		String state = UriComponentsBuilder.fromUriString(callback).build().getQueryParams().getFirst("state");
		XrefConnectOutcomes outcomes = instanceA.getBean(XrefConnectOutcomes.class);
		long storeFailed = outcomes.failures(XrefConnectFailure.STORE_FAILED);
		long invalidState = outcomes.failures(XrefConnectFailure.INVALID_STATE);
		List<String> hostileStates = List.of("%00", state + "%00", state + "%01", state + "%0A", "s".repeat(256));

		for (String hostile : hostileStates) {
			assertThat(aliceOnA.callback(callback.replace("state=" + state, "state=" + hostile))).as(hostile)
				.isEqualTo("/?xref_error=invalid_state");
		}

		assertThat(outcomes.failures(XrefConnectFailure.STORE_FAILED)).isEqualTo(storeFailed);
		assertThat(outcomes.failures(XrefConnectFailure.INVALID_STATE)).isEqualTo(invalidState + hostileStates.size());
		assertThat(aliceOnA.callback(callback)).isEqualTo("/");
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(ReactiveFlowTestApplication.class).run(
				"--spring.main.web-application-type=reactive", "--server.port=0",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=", "--xref.oauth.store.type=jdbc",
				"--xref.oauth.store.jdbc.initialize-schema=never",
				"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
				"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=",
				"--xref.oauth.client-id=" + ReactiveBrowser.CLIENT_ID,
				"--xref.oauth.client-secret=" + ReactiveBrowser.CLIENT_SECRET,
				"--xref.oauth.redirect-uri=" + ReactiveBrowser.REDIRECT_URI, "--xref.oauth.login-uri=" + xref.baseUrl(),
				"--xref.oauth.api-uri=" + xref.baseUrl());
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
