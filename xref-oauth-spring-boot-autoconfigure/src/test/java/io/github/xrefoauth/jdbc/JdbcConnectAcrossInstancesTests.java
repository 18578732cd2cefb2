package io.github.xrefoauth.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.testing.MutableClock;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.github.xrefoauth.web.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefCallbackHandler;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Two application instances that share nothing but the database: each has its own
 * connection pool, authorization request repository, account store and callback handler.
 * A connect started on one completes on the other.
 */
abstract class JdbcConnectAcrossInstancesTests {

	private static final String CALLBACK = "/integrations/xref";

	private final MutableClock clock = new MutableClock();

	private final AtomicInteger exchanges = new AtomicInteger();

	private final SignedIn signedIn = new SignedIn("alice");

	private TestDatabase database;

	private Instance instanceA;

	private Instance instanceB;

	abstract TestDatabase createDatabase();

	/**
	 * How many connects one client starts in the flood tests; servers on the network take
	 * fewer, to keep the suite fast.
	 */
	int floodSize() {
		return 2000;
	}

	@BeforeEach
	void startInstances() {
		this.database = createDatabase();
		this.instanceA = new Instance(this.database.dataSource());
		this.instanceB = new Instance(this.database.newDataSource());
	}

	@AfterEach
	void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void connectStartedOnOneInstanceCompletesOnTheOther() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		assertThat(browser.isHttpOnly()).isTrue();
		assertThat(browser.getAttribute("SameSite")).isEqualTo("Lax");
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		assertThat(this.exchanges).hasValue(1);
		assertThat(this.instanceA.store.findByTenant("alice")).map(XrefConnection::accessToken)
			.contains("token-for-code-1");
	}

	@Test
	void stateIsSingleUse() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		assertThat(this.instanceA.callback("state-1", browser)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void twoConcurrentCallbacksWithOneStateExchangeTheCodeExactlyOnce() throws Exception {
		for (int round = 0; round < 10; round++) {
			String state = "state-" + round;
			Cookie browser = this.instanceA.startConnect(state, null);
			CyclicBarrier start = new CyclicBarrier(2);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				List<Future<String>> redirects = executor
					.invokeAll(List.of(awaitThen(start, () -> this.instanceA.callback(state, browser)),
							awaitThen(start, () -> this.instanceB.callback(state, browser))));
				assertThat(List.of(redirects.get(0).get(), redirects.get(1).get())).containsExactlyInAnyOrder("/",
						"/?xref_error=invalid_state");
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(this.exchanges).hasValue(round + 1);
		}
	}

	@Test
	void connectsStartedInTwoTabsBothComplete() {
		Cookie browser = this.instanceA.startConnect("tab-1", null);
		Cookie sameBrowser = this.instanceB.startConnect("tab-2", browser);
		assertThat(sameBrowser.getValue()).isEqualTo(browser.getValue());
		assertThat(this.instanceA.callback("tab-2", browser)).isEqualTo("/");
		assertThat(this.instanceB.callback("tab-1", browser)).isEqualTo("/");
		assertThat(this.exchanges).hasValue(2);
	}

	@Test
	void stateExpiresAfterTenMinutes() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		this.instanceA.startConnect("state-2", browser);
		this.clock.advance(Duration.ofMinutes(9).plusSeconds(59));
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.instanceB.callback("state-2", browser)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void anotherEndUserSignedInInTheSameBrowserGetsNoPendingConnect() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		this.signedIn.signIn("bob");
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.exchanges).hasValue(0);
		this.signedIn.signIn("alice");
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void tableHoldsNeitherTheCookieValueNorTheEndUserName() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		Map<String, Object> row = this.database.jdbc()
			.sql("SELECT binding, principal FROM xref_authorization_request")
			.query()
			.singleRow();
		assertThat(row.values()).allSatisfy((value) -> assertThat(String.valueOf(value)).hasSize(64)
			.doesNotContain(browser.getValue())
			.doesNotContain("alice"));
	}

	@Test
	void overHttpsTheCookieIsAHostCookieForTheWholeSite() {
		Cookie browser = this.instanceA.startConnect("state-1", null, true);
		assertThat(browser.getName()).isEqualTo("__Host-XREF_CONNECT");
		assertThat(browser.getSecure()).isTrue();
		assertThat(browser.getPath()).isEqualTo("/");
		assertThat(browser.getDomain()).isNull();
		Cookie plainName = new Cookie(JdbcXrefAuthorizationRequestRepository.DEFAULT_COOKIE_NAME, browser.getValue());
		assertThat(this.instanceB.callback("state-1", plainName, true)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.instanceB.callback("state-1", browser, true)).isEqualTo("/");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void overHttpTheCookieHasThePlainName() {
		Cookie browser = this.instanceA.startConnect("state-1", null, false);
		assertThat(browser.getName()).isEqualTo(JdbcXrefAuthorizationRequestRepository.DEFAULT_COOKIE_NAME);
		assertThat(browser.getSecure()).isFalse();
	}

	@Test
	void callbackFromAnotherBrowserIsRejected() {
		this.instanceA.startConnect("state-1", null);
		Cookie otherBrowser = this.instanceA.startConnect("state-2", null);
		assertThat(this.instanceB.callback("state-1", otherBrowser)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.instanceB.callback("state-1", null)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.exchanges).hasValue(0);
	}

	@Test
	void oneBrowserStartingThousandsOfConnectsKeepsOnlyItsNewestTen() {
		this.signedIn.signIn("bob");
		Cookie bobsBrowser = this.instanceA.startConnect("bob-1", null);
		this.signedIn.signIn("alice");
		Cookie browser = this.instanceA.startConnect("alice-0", null);
		int last = floodSize() - 1;
		for (int i = 1; i <= last; i++) {
			this.clock.advance(Duration.ofMillis(1));
			((i % 2 == 0) ? this.instanceA : this.instanceB).startConnect("alice-" + i, browser);
		}
		assertThat(count("xref_authorization_request")).isEqualTo(10 + 1);
		assertThat(this.instanceB.callback("alice-" + (last - 10), browser)).isEqualTo("/?xref_error=invalid_state");
		assertThat(this.instanceB.callback("alice-" + (last - 9), browser)).isEqualTo("/");
		assertThat(this.instanceA.callback("alice-" + last, browser)).isEqualTo("/");
		this.signedIn.signIn("bob");
		assertThat(this.instanceB.callback("bob-1", bobsBrowser)).isEqualTo("/");
	}

	@Test
	void endUserWhoDropsTheCookieOnEveryConnectKeepsOnlyTheNewestTwenty() {
		this.signedIn.signIn("bob");
		Cookie bobsBrowser = this.instanceA.startConnect("bob-1", null);
		this.instanceA.startConnect("bob-2", bobsBrowser);
		this.signedIn.signIn("alice");
		Cookie lastBrowser = null;
		for (int i = 0; i < floodSize(); i++) {
			this.clock.advance(Duration.ofMillis(1));
			lastBrowser = ((i % 2 == 0) ? this.instanceA : this.instanceB).startConnect("alice-" + i, null);
		}
		assertThat(count("xref_authorization_request")).isEqualTo(20 + 2);
		assertThat(this.instanceA.callback("alice-" + (floodSize() - 1), lastBrowser)).isEqualTo("/");
		this.signedIn.signIn("bob");
		assertThat(this.instanceB.callback("bob-1", bobsBrowser)).isEqualTo("/");
		assertThat(this.instanceB.callback("bob-2", bobsBrowser)).isEqualTo("/");
	}

	@Test
	void expiredRowsOfEveryBrowserAreDeletedByTheNextConnectOfAnyone() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		this.instanceA.startConnect("state-2", browser);
		this.clock.advance(Duration.ofMinutes(10));
		this.signedIn.signIn("bob");
		this.instanceB.startConnect("bob-1", null);
		assertThat(this.database.jdbc().sql("SELECT state FROM xref_authorization_request").query(String.class).list())
			.containsExactly("bob-1");
	}

	@Test
	void stateIsComparedByteForByte() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		this.instanceA.startConnect("ren\u00e9", browser);
		for (String lookalike : List.of("state-1 ", "State-1", "rene\u0301")) {
			assertThat(this.instanceB.callback(lookalike, browser)).as(lookalike)
				.isEqualTo("/?xref_error=invalid_state");
		}
		assertThat(this.exchanges).hasValue(0);
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		assertThat(this.instanceB.callback("ren\u00e9", browser)).isEqualTo("/");
		assertThat(this.exchanges).hasValue(2);
	}

	@Test
	void stateWithControlCharactersOrLongerThanTheColumnIsUnknownWithoutAnyQuery() {
		List<String> hostileStates = List.of("\u0000", "state-1\u0000", "state-\u0001", "state-1\n", "state-1\u007f",
				"state-1\u0085", "s".repeat(256));
		Cookie browser = this.instanceA.startConnect("state-1", null);
		// On this instance every statement fails: a state that reached the database
		// would end as store_failed.
		FailingDataSource noDatabase = new FailingDataSource(this.database.newDataSource(), 1);
		Instance withoutDatabase = new Instance(noDatabase);
		for (String state : hostileStates) {
			assertThat(this.instanceB.callback(state, browser)).as(describe(state))
				.isEqualTo("/?xref_error=invalid_state");
			assertThat(withoutDatabase.callback(state, browser)).as(describe(state))
				.isEqualTo("/?xref_error=invalid_state");
		}
		assertThat(noDatabase.statements()).isZero();
		for (Instance instance : List.of(this.instanceB, withoutDatabase)) {
			assertThat(instance.outcomes.failures(XrefConnectFailure.STORE_FAILED)).isZero();
			assertThat(instance.outcomes.failures(XrefConnectFailure.INVALID_STATE)).isEqualTo(hostileStates.size());
		}
		assertThat(this.exchanges).hasValue(0);
		assertThat(this.instanceB.callback("state-1", browser)).isEqualTo("/");
		assertThat(this.instanceA.startConnect("s".repeat(255), browser)).isNotNull();
		assertThatIllegalArgumentException().isThrownBy(() -> this.instanceA.startConnect("state-2\u0000", browser));
		assertThat(this.database.jdbc().sql("SELECT state FROM xref_authorization_request").query(String.class).list())
			.containsExactly("s".repeat(255));
	}

	@Test
	void databaseFailureDuringTheCallbackIsReportedAsPendingAndNothingIsStored() {
		Cookie browser = this.instanceA.startConnect("state-1", null);
		// Statement 1 and 2 remove the pending request, 3 locks the account, 4 and the
		// read-backs fail: whether the write committed cannot be told yet.
		Instance failing = new Instance(new FailingDataSource(this.database.newDataSource(), 4));
		try {
			assertThat(failing.callback("state-1", browser)).isEqualTo("/?xref_error=outcome_pending");
			assertThat(this.exchanges).hasValue(1);
			assertThat(count("xref_account")).isZero();
			assertThat(count("xref_tenant")).isZero();
		}
		finally {
			failing.manager.destroy();
		}
	}

	private static String describe(String state) {
		return (state.length() > 20) ? state.length() + " characters"
				: state.codePoints()
					.mapToObj((codePoint) -> String.format("U+%04X", codePoint))
					.collect(Collectors.joining(" ", "state [", "]"));
	}

	private int count(String table) {
		return this.database.jdbc().sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
	}

	private static <T> Callable<T> awaitThen(CyclicBarrier barrier, Callable<T> task) {
		return () -> {
			barrier.await(10, TimeUnit.SECONDS);
			return task.call();
		};
	}

	private final class Instance {

		private final JdbcXrefAuthorizationRequestRepository repository;

		private final JdbcXrefAccountStore store;

		private final XrefCallbackHandler handler;

		private final XrefConnectManager manager;

		private final XrefConnectOutcomes outcomes = new XrefConnectOutcomes();

		Instance(DataSource dataSource) {
			this.repository = new JdbcXrefAuthorizationRequestRepository(dataSource);
			this.repository.setClock(JdbcConnectAcrossInstancesTests.this.clock);
			this.repository.setSecurityContextHolderStrategy(JdbcConnectAcrossInstancesTests.this.signedIn);
			this.store = new JdbcXrefAccountStore(dataSource, TestCiphers.cipher("k1"));
			XrefTenantContext tenantContext = new XrefTenantContext(XrefTenantResolver.principalName());
			tenantContext.setSecurityContextHolderStrategy(JdbcConnectAcrossInstancesTests.this.signedIn);
			this.manager = new XrefConnectManager((code) -> {
				JdbcConnectAcrossInstancesTests.this.exchanges.incrementAndGet();
				return new XrefTokenResponse("token-for-" + code, "account-1");
			}, this.store);
			this.manager.setConnectOutcomes(this.outcomes);
			this.handler = new XrefCallbackHandler(CALLBACK, this.repository, tenantContext, this.manager);
		}

		Cookie startConnect(String state, Cookie browser) {
			return startConnect(state, browser, false);
		}

		Cookie startConnect(String state, Cookie browser, boolean secure) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/xref");
			request.setSecure(secure);
			if (browser != null) {
				request.setCookies(browser);
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			this.repository.saveAuthorizationRequest(OAuth2AuthorizationRequest.authorizationCode()
				.authorizationUri("https://login.xref.com/oauth/open-api/client-1")
				.clientId("client-1")
				.redirectUri("https://platform.example" + CALLBACK)
				.state(state)
				.attributes((attributes) -> attributes.put(OAuth2ParameterNames.REGISTRATION_ID, "xref"))
				.build(), request, response);
			assertThat(response.getCookies()).hasSize(1);
			return response.getCookies()[0];
		}

		String callback(String state, Cookie browser) {
			return callback(state, browser, false);
		}

		String callback(String state, Cookie browser, boolean secure) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", CALLBACK);
			request.setSecure(secure);
			request.setParameter("state", state);
			request.setParameter("code", "code-1");
			if (browser != null) {
				request.setCookies(browser);
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			try {
				this.handler.handle(request, response);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return response.getRedirectedUrl();
		}

	}

	/**
	 * The same signed-in end user on every thread, until the test signs in another.
	 */
	private static final class SignedIn implements SecurityContextHolderStrategy {

		private volatile SecurityContext context;

		SignedIn(String username) {
			signIn(username);
		}

		void signIn(String username) {
			this.context = new SecurityContextImpl(new TestingAuthenticationToken(username, null, "USER"));
		}

		@Override
		public SecurityContext getContext() {
			return this.context;
		}

		@Override
		public void setContext(SecurityContext context) {
		}

		@Override
		public void clearContext() {
		}

		@Override
		public SecurityContext createEmptyContext() {
			return new SecurityContextImpl();
		}

	}

}
