package io.github.xrefoauth.connect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.connect.XrefConnectManager.EndUser;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefRestoredEvent;
import io.github.xrefoauth.testing.DelegatingXrefAccountStore;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of a connect that both web stacks apply through {@link XrefConnectManager}:
 * who may start one, what a callback must carry and in which order it is checked, and
 * what each failure reports.
 */
class XrefConnectManagerTests {

	private final List<String> exchangedCodes = new CopyOnWriteArrayList<>();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final XrefConnectOutcomes outcomes = new XrefConnectOutcomes();

	private final XrefConnectManager manager;

	XrefConnectManagerTests() {
		this.manager = new XrefConnectManager((code) -> {
			this.exchangedCodes.add(code);
			return new XrefTokenResponse("token-for-" + code, "acct-acme");
		}, this.store);
		this.manager.setApplicationEventPublisher(this.events::add);
		this.manager.setConnectOutcomes(this.outcomes);
	}

	@AfterEach
	void stopSettling() {
		this.manager.destroy();
	}

	@Test
	void endUserWithATenantMayStart() {
		this.manager.checkStart(EndUser.authenticated("alice", () -> "acme"));

		assertThat(this.events).isEmpty();
	}

	@Test
	void anonymousEndUserMayNotStart() {
		assertThat(refusedStart(EndUser.anonymous())).isEqualTo(XrefConnectFailure.NOT_AUTHENTICATED);
		assertFailedEvent(XrefConnectFailure.NOT_AUTHENTICATED, null, null);
	}

	@Test
	void endUserWithoutTenantMayNotStartWhetherTheResolverReturnsNothingOrThrows() {
		assertThat(refusedStart(EndUser.authenticated("mallory", () -> null))).isEqualTo(XrefConnectFailure.NO_TENANT);
		assertThat(refusedStart(EndUser.authenticated("mallory", () -> " "))).isEqualTo(XrefConnectFailure.NO_TENANT);
		assertThat(refusedStart(EndUser.authenticated("mallory", () -> {
			throw new IllegalStateException("directory down");
		}))).isEqualTo(XrefConnectFailure.NO_TENANT);

		assertThat(this.outcomes.failures(XrefConnectFailure.NO_TENANT)).isEqualTo(3);
		assertThat(this.events)
			.allSatisfy((event) -> assertThat(event).isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(failed) -> assertThat(failed.endUser()).isEqualTo("mallory")));
	}

	@Test
	void startThatFailsForAnythingElseIsStartFailedWithTheEndUserAndTenant() {
		XrefConnectFailure failure = this.manager.startFailed(new IllegalStateException("session store down"),
				EndUser.authenticated("alice", () -> "acme"));

		assertThat(failure).isEqualTo(XrefConnectFailure.START_FAILED);
		assertFailedEvent(XrefConnectFailure.START_FAILED, "acme", "alice");
	}

	@Test
	void callbackOfAnAnonymousEndUserDoesNotTakeThePendingRequest() {
		AtomicInteger taken = new AtomicInteger();

		XrefConnectFailure failure = this.manager.handleCallback(EndUser.anonymous(), () -> {
			taken.incrementAndGet();
			return pending();
		}, null, "abc");

		assertThat(failure).isEqualTo(XrefConnectFailure.NOT_AUTHENTICATED);
		assertThat(taken).hasValue(0);
		assertThat(this.exchangedCodes).isEmpty();
	}

	@Test
	void callbackWithoutPendingRequestIsInvalidState() {
		assertThat(callback(() -> null, null, "abc")).isEqualTo(XrefConnectFailure.INVALID_STATE);
		assertFailedEvent(XrefConnectFailure.INVALID_STATE, "acme", "alice");
	}

	@Test
	void repositoryThatFailsIsStoreFailed() {
		assertThat(callback(() -> {
			throw new IllegalStateException("database down");
		}, null, "abc")).isEqualTo(XrefConnectFailure.STORE_FAILED);
	}

	@Test
	void errorOfXrefIsAccessDeniedOrXrefError() {
		assertThat(callback(XrefConnectManagerTests::pending, "access_denied", "abc"))
			.isEqualTo(XrefConnectFailure.DENIED);
		assertThat(callback(XrefConnectManagerTests::pending, "server_error", "abc"))
			.isEqualTo(XrefConnectFailure.XREF_ERROR);
		assertThat(this.exchangedCodes).isEmpty();
	}

	@Test
	void callbackWithoutCodeIsMissingCode() {
		assertThat(callback(XrefConnectManagerTests::pending, null, "")).isEqualTo(XrefConnectFailure.MISSING_CODE);
		assertThat(callback(XrefConnectManagerTests::pending, null, null)).isEqualTo(XrefConnectFailure.MISSING_CODE);
	}

	@Test
	void statesAreCheckedBeforeTheTenantAndTheTenantBeforeTheExchange() {
		EndUser noTenant = EndUser.authenticated("mallory", () -> null);
		AtomicInteger taken = new AtomicInteger();

		assertThat(this.manager.handleCallback(noTenant, () -> null, null, "abc"))
			.isEqualTo(XrefConnectFailure.INVALID_STATE);
		assertThat(this.manager.handleCallback(EndUser.authenticated("mallory", () -> null), () -> {
			taken.incrementAndGet();
			return pending();
		}, null, "abc")).isEqualTo(XrefConnectFailure.NO_TENANT);

		assertThat(taken).as("the pending request is used up").hasValue(1);
		assertThat(this.exchangedCodes).isEmpty();
	}

	@Test
	void callbackWithAllItNeedsConnectsAndLooksUpTheTenantOnce() {
		AtomicInteger lookups = new AtomicInteger();
		EndUser alice = EndUser.authenticated("alice", () -> {
			lookups.incrementAndGet();
			return "acme";
		});

		assertThat(this.manager.handleCallback(alice, XrefConnectManagerTests::pending, null, "abc")).isNull();

		assertThat(this.exchangedCodes).containsExactly("abc");
		assertThat(this.store.findByTenant("acme")).get()
			.satisfies((connection) -> assertThat(connection.accessToken()).isEqualTo("token-for-abc"));
		assertThat(lookups).hasValue(1);
		assertThat(this.events).singleElement().isInstanceOf(XrefConnectedEvent.class);
		assertThat(this.outcomes.connected()).isOne();
	}

	@Test
	void reconnectOfAnAccountWhoseTokenXrefRejectedPublishesRestoredAfterConnectedNamingEveryTenant() {
		InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();
		XrefConnection rejected = new XrefConnection("acct-acme", "rejected-token", Instant.EPOCH, "bob");
		store.save("acme", rejected);
		store.save("globex", rejected);
		store.reject(rejected, Instant.EPOCH.plusSeconds(60), XrefConnectionStatus.RejectedBy.API_CALL);

		List<Object> events = connectAliceTo("acct-acme", store);

		assertThat(events).hasSize(2).first().isInstanceOf(XrefConnectedEvent.class);
		assertThat(events.get(1)).isInstanceOfSatisfying(XrefRestoredEvent.class, (restored) -> {
			assertThat(List.of(restored.tenantKey(), restored.xrefAccountId(), restored.endUser()))
				.containsExactly("acme", "acct-acme", "alice");
			assertThat(restored.tenantKeys()).containsExactlyInAnyOrder("acme", "globex");
		});
		assertThat(store.status("globex").state()).isEqualTo(XrefConnectionStatus.State.CONNECTED);
	}

	@Test
	void connectOfAnotherAccountThanTheRejectedOnePublishesNoRestoredEvent() {
		InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();
		XrefConnection rejected = new XrefConnection("acct-globex", "rejected-token", Instant.EPOCH, "bob");
		store.save("acme", rejected);
		store.reject(rejected, Instant.EPOCH.plusSeconds(60), XrefConnectionStatus.RejectedBy.VERIFY);

		List<Object> events = connectAliceTo("acct-acme", store);

		assertThat(events).singleElement().isInstanceOf(XrefConnectedEvent.class);
	}

	private List<Object> connectAliceTo(String xrefAccountId, XrefAccountStore store) {
		List<Object> events = new CopyOnWriteArrayList<>();
		XrefConnectManager manager = new XrefConnectManager(
				(code) -> new XrefTokenResponse("token-for-" + code, xrefAccountId), store);
		manager.setApplicationEventPublisher(events::add);
		try {
			assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc")).isNull();
			return events;
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	void reconnectRevokesTheTokenThatTheStoreReportsReplacedNotAnEarlierRead() {
		List<String> revoked = new CopyOnWriteArrayList<>();
		XrefConnection stale = new XrefConnection("acct-acme", "token-read-earlier", Instant.EPOCH, "bob");
		XrefConnection replaced = new XrefConnection("acct-acme", "token-replaced", Instant.EPOCH, "carol");
		XrefAccountStore store = new DelegatingXrefAccountStore(this.store) {

			@Override
			public Optional<XrefConnection> findByAccount(String xrefAccountId) {
				return Optional.of(stale);
			}

			@Override
			public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
				super.replace(tenantKey, connection);
				return List.of(replaced);
			}

		};
		XrefConnectManager manager = new XrefConnectManager(
				(code) -> new XrefTokenResponse("token-for-" + code, "acct-acme"), store);
		manager.setTokenRevoker(revoked::add);

		assertThat(manager.handleCallback(EndUser.authenticated("alice", () -> "acme"),
				XrefConnectManagerTests::pending, null, "abc"))
			.isNull();

		assertThat(revoked).containsExactly("token-replaced");
		assertThat(this.store.findByTenant("acme")).map(XrefConnection::accessToken).contains("token-for-abc");
	}

	@Test
	void reconnectWithTheTokenItReplacedRevokesNothing() {
		List<String> revoked = new CopyOnWriteArrayList<>();
		this.store.save("acme", new XrefConnection("acct-acme", "token-for-abc", Instant.EPOCH, "alice"));
		this.manager.setTokenRevoker(revoked::add);

		assertThat(callback(XrefConnectManagerTests::pending, null, "abc")).isNull();

		assertThat(revoked).isEmpty();
	}

	@Test
	void storeThatCommittedButCouldNotBeReadBackIsPendingThenSettledAsConnectedWithoutRevoking() {
		List<String> revoked = new CopyOnWriteArrayList<>();
		OutageStore store = new OutageStore(this.store, true);
		XrefConnectManager manager = managerInDoubt(store, revoked);
		try {
			assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"))
				.isEqualTo(XrefConnectFailure.OUTCOME_PENDING);

			assertThat(revoked).isEmpty();
			assertThat(this.events).isEmpty();
			assertThat(this.outcomes.failures(XrefConnectFailure.OUTCOME_PENDING)).isOne();
			assertThat(manager.settleNow()).as("the store still does not answer").isZero();
			assertThat(this.events).isEmpty();

			store.down.set(false);
			assertThat(manager.settleNow()).isOne();
			assertThat(manager.settleNow()).as("settled once").isZero();

			assertThat(revoked).isEmpty();
			assertThat(this.events).singleElement()
				.isInstanceOfSatisfying(XrefConnectedEvent.class,
						(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
							.containsExactly("acme", "acct-acme", "alice"));
			assertThat(this.outcomes.connected()).isOne();
			assertThat(this.outcomes.failures(XrefConnectFailure.STORE_FAILED)).isZero();
			assertThat(this.store.findByTenant("acme")).map(XrefConnection::accessToken).contains("token-for-abc");
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	void connectInDoubtIsObservedAsPendingNotAsAFailure() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		XrefConnectManager manager = managerInDoubt(new OutageStore(this.store, true), new CopyOnWriteArrayList<>());
		manager.setObservationRegistry(registry);
		try {
			manager
				.observeConnect(() -> manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"));

			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("xref.connect")
				.that()
				.hasLowCardinalityKeyValue("outcome", "pending")
				.hasLowCardinalityKeyValue("reason", "outcome_pending");
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	void reconnectInDoubtOfAnAccountWhoseTokenXrefRejectedPublishesRestoredOnceSettled() {
		XrefConnection rejected = new XrefConnection("acct-acme", "rejected-token", Instant.EPOCH, "bob");
		this.store.save("acme", rejected);
		this.store.save("globex", rejected);
		this.store.reject(rejected, Instant.EPOCH.plusSeconds(60), XrefConnectionStatus.RejectedBy.HEALTH_CHECK);
		OutageStore store = new OutageStore(this.store, true);
		XrefConnectManager manager = managerInDoubt(store, new CopyOnWriteArrayList<>());
		try {
			assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"))
				.isEqualTo(XrefConnectFailure.OUTCOME_PENDING);
			assertThat(this.events).isEmpty();

			store.down.set(false);
			assertThat(manager.settleNow()).isOne();

			assertThat(this.events).hasSize(2).first().isInstanceOf(XrefConnectedEvent.class);
			assertThat(this.events.get(1)).isInstanceOfSatisfying(XrefRestoredEvent.class,
					(restored) -> assertThat(restored.tenantKeys()).containsExactlyInAnyOrder("acme", "globex"));
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	void storeThatDidNotCommitAndCouldNotBeReadBackIsPendingThenSettledByRevokingTheToken() {
		List<String> revoked = new CopyOnWriteArrayList<>();
		OutageStore store = new OutageStore(this.store, false);
		XrefConnectManager manager = managerInDoubt(store, revoked);
		try {
			assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"))
				.isEqualTo(XrefConnectFailure.OUTCOME_PENDING);
			assertThat(revoked).isEmpty();
			assertThat(this.events).isEmpty();

			store.down.set(false);
			assertThat(manager.settleNow()).isOne();
			assertThat(manager.settleNow()).isZero();

			assertThat(revoked).containsExactly("token-for-abc");
			assertFailedEvent(XrefConnectFailure.STORE_FAILED, "acme", "alice");
			assertThat(this.outcomes.connected()).isZero();
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	void storeThatCouldNotBeginIsStoreFailedAtOnceAndRevokesTheToken() {
		List<String> revoked = new CopyOnWriteArrayList<>();
		OutageStore store = new OutageStore(this.store, false) {

			@Override
			public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
				throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction");
			}

		};
		XrefConnectManager manager = managerInDoubt(store, revoked);
		try {
			assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"))
				.isEqualTo(XrefConnectFailure.STORE_FAILED);

			assertThat(revoked).containsExactly("token-for-abc");
			assertFailedEvent(XrefConnectFailure.STORE_FAILED, "acme", "alice");
			assertThat(store.reads).as("nothing to read back").hasValue(0);
		}
		finally {
			manager.destroy();
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void connectsUnsettledAtShutdownAreLoggedByAccountWithoutToken(CapturedOutput output) {
		List<String> revoked = new CopyOnWriteArrayList<>();
		XrefConnectManager manager = managerInDoubt(new OutageStore(this.store, true), revoked);
		assertThat(manager.handleCallback(alice(), XrefConnectManagerTests::pending, null, "abc"))
			.isEqualTo(XrefConnectFailure.OUTCOME_PENDING);

		manager.destroy();

		assertThat(output).contains("1 Xref connects stay unsettled at shutdown", "acct-acme")
			.doesNotContain("token-for-abc");
		assertThat(manager.settleNow()).isZero();
		assertThat(revoked).isEmpty();
		assertThat(this.events).isEmpty();
	}

	private XrefConnectManager managerInDoubt(XrefAccountStore store, List<String> revoked) {
		XrefConnectManager manager = new XrefConnectManager(
				(code) -> new XrefTokenResponse("token-for-" + code, "acct-acme"), store);
		manager.setApplicationEventPublisher(this.events::add);
		manager.setConnectOutcomes(this.outcomes);
		manager.setTokenRevoker(revoked::add);
		// Settled by the test alone.
		manager.setSettleInterval(Duration.ofDays(1));
		return manager;
	}

	private static EndUser alice() {
		return EndUser.authenticated("alice", () -> "acme");
	}

	private @Nullable XrefConnectFailure callback(Supplier<@Nullable OAuth2AuthorizationRequest> pending,
			@Nullable String error, @Nullable String code) {
		return this.manager.handleCallback(EndUser.authenticated("alice", () -> "acme"), pending, error, code);
	}

	private XrefConnectFailure refusedStart(EndUser endUser) {
		RuntimeException refusal = null;
		try {
			this.manager.checkStart(endUser);
		}
		catch (RuntimeException ex) {
			refusal = ex;
		}
		assertThat(refusal).as("refused").isNotNull();
		return this.manager.startFailed(refusal, endUser);
	}

	private void assertFailedEvent(XrefConnectFailure reason, @Nullable String tenantKey, @Nullable String endUser) {
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event).extracting("reason", "tenantKey", "endUser")
						.containsExactly(reason, tenantKey, endUser));
		assertThat(this.outcomes.failures(reason)).isOne();
	}

	/**
	 * A store whose replace reports a lost connection, after writing or without, and
	 * whose reads fail while it is down.
	 */
	private static class OutageStore extends DelegatingXrefAccountStore {

		final AtomicBoolean down = new AtomicBoolean(true);

		final AtomicInteger reads = new AtomicInteger();

		private final boolean commits;

		OutageStore(XrefAccountStore delegate, boolean commits) {
			super(delegate);
			this.commits = commits;
		}

		@Override
		public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
			if (this.commits) {
				super.replace(tenantKey, connection);
			}
			throw new DataAccessResourceFailureException("I/O error while committing");
		}

		@Override
		public Optional<XrefConnection> findByTenant(String tenantKey) {
			read();
			return super.findByTenant(tenantKey);
		}

		@Override
		public Optional<XrefConnection> findByAccount(String xrefAccountId) {
			read();
			return super.findByAccount(xrefAccountId);
		}

		private void read() {
			this.reads.incrementAndGet();
			if (this.down.get()) {
				throw new DataAccessResourceFailureException("Connection refused");
			}
		}

	}

	private static OAuth2AuthorizationRequest pending() {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.xref.com/oauth/open-api/client-1")
			.clientId("client-1")
			.state("s1")
			.build();
	}

}
