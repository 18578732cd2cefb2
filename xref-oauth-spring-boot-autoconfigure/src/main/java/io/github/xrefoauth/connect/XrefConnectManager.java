package io.github.xrefoauth.connect;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefRestoredEvent;
import io.github.xrefoauth.internal.RateLimitedWarnings;
import io.github.xrefoauth.internal.XrefObservations;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenResponse;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.github.xrefoauth.token.XrefUnusableTokenException;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Every rule of a connect, apart from any web stack: who may start one, what Xref's
 * callback must carry, completing the connect (code exchange, storing the token, revoking
 * the tokens that the store does not keep) and reporting how it ended (counted, logged,
 * published and observed). The servlet and WebFlux adapters read the request, hand what
 * they read to it, and write the redirect; configured once, it serves either stack.
 * Blocking: reactive callers run {@link #handleCallback} on a scheduler for blocking
 * work.
 * <ul>
 * <li>A connect starts only for an authenticated end user ({@code not_authenticated})
 * with a tenant ({@code no_tenant}): see {@link #checkStart}.</li>
 * <li>A callback needs an authenticated end user, then the pending request of its state
 * ({@code invalid_state}; a repository that fails is {@code store_failed}), no
 * {@code error} ({@code access_denied} for {@code error=access_denied},
 * {@code xref_error} otherwise), a {@code code} ({@code missing_code}) and a tenant
 * ({@code no_tenant}), in that order: see {@link #handleCallback}.</li>
 * </ul>
 * <p>
 * When storing fails, the store is read back: a write that committed all the same is a
 * success; a write that did not commit fails with {@code store_failed}, and the new token
 * is revoked through the {@link #setTokenRevoker(XrefTokenRevoker) token revoker}. A
 * failure that shows no transaction began (no connection to be had) needs no read-back.
 * If the read-back fails too, the outcome is in doubt, and neither revoking nor reporting
 * a failure would be fact: the token is kept aside in memory and the connect answers
 * {@code outcome_pending}, counted and warned about but not published as a failed
 * connect. The doubt is settled once the store answers again, read back on a daemon
 * thread every {@link #setSettleInterval(Duration) few seconds} (further apart while the
 * store stays unreadable): a stored token is a connect that succeeded
 * ({@code XrefConnectedEvent}); a token the account holds without the tenant linked is
 * kept and the connect fails with {@code store_failed}; any other token is revoked and
 * the connect fails with {@code store_failed}. Doubts still unsettled when the manager is
 * {@link #destroy() destroyed} are logged at WARN (accounts, never tokens). Once the
 * write is done, a connect revokes exactly the tokens that
 * {@link XrefAccountStore#replace(String, XrefConnection) the store reports} it ended:
 * the account's replaced token, and the token of the account the tenant left if no tenant
 * is linked to it any more (published as an {@code XrefDisconnectedEvent} of that
 * account). A token that Xref issued without naming its account is revoked before the
 * connect fails with {@code token_exchange_failed}. Revocation is best effort: its
 * failure is logged (without the token) and changes nothing else. A connect of an account
 * whose token Xref had rejected, read from the tenant's
 * {@link XrefAccountStore#status(String) status} before the write, publishes an
 * {@code XrefRestoredEvent} naming every tenant linked to the account after its
 * {@code XrefConnectedEvent}, also for a connect settled after a doubt.
 * <p>
 * Failures that any client can cause are logged at DEBUG; faults of Xref or the store at
 * WARN, at most once a minute per reason. All outcomes are counted in
 * {@link XrefConnectOutcomes}, and each failure is published as an
 * {@code XrefConnectFailedEvent} with the end user and their tenant, when known.
 *
 * @since 0.1.0
 */
public final class XrefConnectManager implements DisposableBean {

	/** Failures that a fault of Xref or of the store causes, not the request. */
	private static final Set<XrefConnectFailure> FAULTS = EnumSet.of(XrefConnectFailure.TOKEN_EXCHANGE_FAILED,
			XrefConnectFailure.START_FAILED, XrefConnectFailure.STORE_FAILED, XrefConnectFailure.OUTCOME_PENDING);

	/**
	 * Failures of a write as a whole that are thrown before its transaction began, by
	 * name: spring-jdbc and spring-tx are optional.
	 */
	private static final Set<String> NOTHING_WRITTEN = Set.of(
			"org.springframework.jdbc.CannotGetJdbcConnectionException",
			"org.springframework.transaction.CannotCreateTransactionException");

	private static final int READ_BACK_ATTEMPTS = 2;

	private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(XrefConnectManager.class);

	private final XrefTokenClient tokenClient;

	private final XrefAccountStore accountStore;

	private final XrefConnectSettler settler = new XrefConnectSettler(this::settle);

	private RateLimitedWarnings<XrefConnectFailure> faultWarnings = new RateLimitedWarnings<>(WARNING_INTERVAL,
			Clock.systemUTC());

	private Clock clock = Clock.systemUTC();

	private XrefConnectOutcomes outcomes = new XrefConnectOutcomes();

	private @Nullable XrefTokenRevoker tokenRevoker;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private XrefObservations observations = new XrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a manager.
	 * @param tokenClient exchanges the code
	 * @param accountStore stores the token
	 */
	public XrefConnectManager(XrefTokenClient tokenClient, XrefAccountStore accountStore) {
		Assert.notNull(tokenClient, "tokenClient cannot be null");
		Assert.notNull(accountStore, "accountStore cannot be null");
		this.tokenClient = tokenClient;
		this.accountStore = accountStore;
	}

	/**
	 * Runs a connect, from the callback to its outcome, inside the {@code xref.connect}
	 * observation.
	 * @param connect the connect; returns {@code null} once connected, or why it failed
	 * @return what the connect returned
	 */
	public @Nullable XrefConnectFailure observeConnect(Supplier<@Nullable XrefConnectFailure> connect) {
		return this.observations.observe(XrefObservationDocumentation.CONNECT, connect,
				(failure) -> (failure != null) ? failure.code() : null);
	}

	/**
	 * Refuses to start a connect that could never complete, before anything is saved and
	 * before the end user is sent to Xref: without an authenticated end user
	 * ({@code not_authenticated}) or without a tenant ({@code no_tenant}). Hand what it
	 * throws to {@link #startFailed}.
	 * @param endUser who starts the connect
	 * @throws RuntimeException to refuse the connect
	 */
	public void checkStart(EndUser endUser) {
		Assert.notNull(endUser, "endUser cannot be null");
		if (endUser.name() == null) {
			throw new StartRefused(XrefConnectFailure.NOT_AUTHENTICATED, null);
		}
		try {
			endUser.tenantKey();
		}
		catch (RuntimeException ex) {
			throw new StartRefused(XrefConnectFailure.NO_TENANT, ex);
		}
	}

	/**
	 * Reports a connect that did not start: refused by {@link #checkStart} (with its
	 * reason), or failed, say because its pending request could not be saved
	 * ({@code start_failed}).
	 * @param exception what {@link #checkStart} threw, or what went wrong
	 * @param endUser who started the connect
	 * @return the failure
	 */
	public XrefConnectFailure startFailed(Exception exception, EndUser endUser) {
		Assert.notNull(exception, "exception cannot be null");
		if (exception instanceof StartRefused refused) {
			return fail(refused.failure, refused.getCause(), endUser);
		}
		return fail(XrefConnectFailure.START_FAILED, exception, endUser);
	}

	/**
	 * Completes a connect from Xref's callback: checks the end user, takes the pending
	 * request of the callback's state, checks Xref's parameters and the end user's
	 * tenant, then exchanges the code, stores the token under the Xref account, links the
	 * tenant to it and revokes the token it replaced. The outcome is counted, logged and
	 * published. Blocks on the token endpoint and the store.
	 * @param endUser who completes the connect
	 * @param pendingRequest takes the pending request of the callback's state out of its
	 * repository, or returns {@code null} if there is none; called only for an
	 * authenticated end user, at most once
	 * @param error the callback's {@code error} parameter
	 * @param code the callback's {@code code} parameter
	 * @return {@code null} once connected, or why the connect failed
	 */
	public @Nullable XrefConnectFailure handleCallback(EndUser endUser,
			Supplier<@Nullable OAuth2AuthorizationRequest> pendingRequest, @Nullable String error,
			@Nullable String code) {
		Assert.notNull(endUser, "endUser cannot be null");
		Assert.notNull(pendingRequest, "pendingRequest cannot be null");
		String userName = endUser.name();
		if (userName == null) {
			return fail(XrefConnectFailure.NOT_AUTHENTICATED, null, endUser);
		}
		OAuth2AuthorizationRequest pending;
		try {
			pending = pendingRequest.get();
		}
		catch (RuntimeException ex) {
			return fail(XrefConnectFailure.STORE_FAILED, ex, endUser);
		}
		if (pending == null) {
			return fail(XrefConnectFailure.INVALID_STATE, null, endUser);
		}
		if (error != null) {
			return fail(OAuth2ErrorCodes.ACCESS_DENIED.equals(error) ? XrefConnectFailure.DENIED
					: XrefConnectFailure.XREF_ERROR, null, endUser);
		}
		if (!StringUtils.hasText(code)) {
			return fail(XrefConnectFailure.MISSING_CODE, null, endUser);
		}
		String tenantKey;
		try {
			tenantKey = endUser.tenantKey();
		}
		catch (RuntimeException ex) {
			return fail(XrefConnectFailure.NO_TENANT, ex, endUser);
		}
		return complete(tenantKey, code, userName);
	}

	/**
	 * Exchanges the code, stores the token under the Xref account, links the tenant to it
	 * and revokes the token it replaced. The outcome is counted and logged.
	 */
	private @Nullable XrefConnectFailure complete(String tenantKey, String code, String userName) {
		XrefTokenResponse token;
		try {
			token = this.observations.observe(XrefObservationDocumentation.TOKEN_EXCHANGE,
					() -> this.tokenClient.exchange(code));
		}
		catch (RuntimeException ex) {
			if (ex instanceof XrefUnusableTokenException unusable) {
				revoke(unusable.getAccessToken(), "token of an unnamed Xref account");
			}
			return fail(XrefConnectFailure.TOKEN_EXCHANGE_FAILED, ex, tenantKey, userName);
		}
		boolean restoring = needsReconnect(tenantKey, token.xrefAccountId());
		Replaced replaced = store(tenantKey, token, userName, restoring);
		if (replaced.pending()) {
			// Not published: the connect may well have succeeded.
			return countAndLog(XrefConnectFailure.OUTCOME_PENDING, replaced.failure());
		}
		if (replaced.failure() != null) {
			return fail(XrefConnectFailure.STORE_FAILED, replaced.failure(), tenantKey, userName);
		}
		connected(tenantKey, token, userName, replaced, restoring);
		return null;
	}

	/**
	 * Whether the tenant's status, read before the write, says that the account being
	 * connected needs a reconnect: Xref rejected its token, and the tenant is linked to
	 * it. A status that cannot be read is taken as no.
	 */
	private boolean needsReconnect(String tenantKey, String xrefAccountId) {
		try {
			XrefConnectionStatus status = this.accountStore.status(tenantKey);
			return status.state() == XrefConnectionStatus.State.RECONNECT_NEEDED
					&& xrefAccountId.equals(status.xrefAccountId());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the status of tenant " + tenantKey + " before its connect", ex);
			return false;
		}
	}

	/**
	 * Publishes that a reconnect restored the connection of every tenant linked to the
	 * account, after its {@code XrefConnectedEvent}.
	 */
	private void restored(String tenantKey, String xrefAccountId, String userName) {
		List<String> tenants;
		try {
			tenants = this.accountStore.findTenants(xrefAccountId);
		}
		catch (RuntimeException ex) {
			tenants = List.of();
		}
		if (!tenants.contains(tenantKey)) {
			tenants = Stream.concat(Stream.of(tenantKey), tenants.stream()).toList();
		}
		logger.info("Restored the connection of Xref account " + xrefAccountId + " for tenants " + tenants);
		this.eventPublisher
			.publishEvent(new XrefRestoredEvent(tenantKey, xrefAccountId, userName, this.clock.instant(), tenants));
	}

	/**
	 * Completes a stored connect: revokes what it ended, counts it and publishes its
	 * events, the restored one last if the account needed a reconnect before.
	 */
	private void connected(String tenantKey, XrefTokenResponse token, String userName, Replaced replaced,
			boolean restoring) {
		revokeEnded(replaced, token);
		logger.info("Connected Xref account " + token.xrefAccountId() + " for tenant " + tenantKey);
		this.outcomes.recordConnected();
		this.eventPublisher
			.publishEvent(new XrefConnectedEvent(tenantKey, token.xrefAccountId(), userName, this.clock.instant()));
		for (XrefConnection left : replaced.leftAccounts(token)) {
			this.eventPublisher.publishEvent(
					new XrefDisconnectedEvent(tenantKey, left.xrefAccountId(), userName, this.clock.instant()));
		}
		if (restoring) {
			restored(tenantKey, token.xrefAccountId(), userName);
		}
	}

	/**
	 * Counts, logs and publishes a failed connect with the end user and their tenant, if
	 * known. The reason code and the type of the cause are logged, never its message:
	 * messages of drivers and HTTP clients can carry stored values. Only faults are
	 * warned about, at a bounded rate.
	 * @param failure why the connect failed
	 * @param cause what went wrong, if anything was thrown
	 * @param endUser who connected
	 * @return the failure
	 */
	public XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause, EndUser endUser) {
		Assert.notNull(endUser, "endUser cannot be null");
		String userName = endUser.name();
		return fail(failure, cause, (userName != null) ? endUser.tenantKeyOrNull() : null, userName);
	}

	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause, @Nullable String tenantKey,
			@Nullable String userName) {
		countAndLog(failure, cause);
		this.eventPublisher
			.publishEvent(new XrefConnectFailedEvent(failure, tenantKey, userName, this.clock.instant()));
		return failure;
	}

	/**
	 * Counts and logs an outcome other than a completed connect.
	 */
	private XrefConnectFailure countAndLog(XrefConnectFailure failure, @Nullable Throwable cause) {
		this.outcomes.recordFailure(failure);
		String reason = (cause != null)
				? ": " + NestedExceptionUtils.getMostSpecificCause(cause).getClass().getSimpleName() : "";
		long heldBack = FAULTS.contains(failure) ? this.faultWarnings.acquire(failure) : -1;
		if (heldBack >= 0) {
			logger.warn(((failure != XrefConnectFailure.OUTCOME_PENDING) ? "Xref connect failed with "
					: "Xref connect is pending, to be settled once the store answers: ") + failure.code() + reason
					+ RateLimitedWarnings.heldBack(heldBack));
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Xref connect failed with " + failure.code() + reason);
		}
		return failure;
	}

	/**
	 * Revokes the tokens of the connections that the write ended, except the new token:
	 * the account's replaced token and the token of an account the tenant left.
	 */
	private void revokeEnded(Replaced replaced, XrefTokenResponse token) {
		if (!replaced.known()) {
			logger.warn("Could not read which token the new token of Xref account " + token.xrefAccountId()
					+ " replaced; that token, if any, stays valid at Xref");
			return;
		}
		for (XrefConnection ended : replaced.connections()) {
			if (ended.accessToken().equals(token.accessToken())) {
				continue;
			}
			revoke(ended.accessToken(), ended.xrefAccountId().equals(token.xrefAccountId())
					? "replaced token of Xref account " + token.xrefAccountId()
					: "token of Xref account " + ended.xrefAccountId() + ", which no tenant is linked to any more");
		}
	}

	/**
	 * Stores the token. When the store fails, the write may have committed all the same
	 * (say the connection broke after the commit): only a write that did not commit is a
	 * failure, and then the token, which nobody holds, is revoked. If the store cannot be
	 * read back, the token is kept aside until it can.
	 * @return the connection that the store reports replaced within its write, what the
	 * store threw, or that the outcome is pending
	 */
	private Replaced store(String tenantKey, XrefTokenResponse token, String userName, boolean restoring) {
		try {
			return Replaced.exactly(this.accountStore.replace(tenantKey,
					new XrefConnection(token.xrefAccountId(), token.accessToken(), this.clock.instant(), userName)));
		}
		catch (RuntimeException ex) {
			ReadBack stored = nothingWritten(ex) ? ReadBack.NOT_HELD : readBack(tenantKey, token);
			if (stored == ReadBack.STORED) {
				logger.warn("Storing Xref account " + token.xrefAccountId() + " reported "
						+ ex.getClass().getSimpleName() + ", but the connection was stored");
				return Replaced.UNKNOWN;
			}
			if (stored == ReadBack.UNKNOWN) {
				if (this.settler.add(new XrefConnectSettler.Unsettled(tenantKey, token, userName, restoring))) {
					return Replaced.pending(ex);
				}
				logger.warn("Too many Xref connects are unsettled; the connect of Xref account " + token.xrefAccountId()
						+ " is not kept aside");
			}
			if (stored != ReadBack.HELD_UNLINKED) {
				// Also a doubt that could not be kept aside: a stored but revoked token
				// goes with the 401 of its next call, while an unstored valid one would
				// stay valid at Xref for good.
				revoke(token.accessToken(), "unstored token of Xref account " + token.xrefAccountId());
			}
			return Replaced.failed(ex);
		}
	}

	/**
	 * Whether a failure shows that the write began no transaction, so nothing was
	 * written.
	 */
	private static boolean nothingWritten(RuntimeException ex) {
		for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
			if (NOTHING_WRITTEN.contains(type.getName())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Settles a connect whose outcome was in doubt, once the store can be read: a stored
	 * token completes the connect, any other outcome fails it with {@code store_failed}.
	 * @return {@code false} if the store still cannot be read
	 */
	private boolean settle(XrefConnectSettler.Unsettled doubt) {
		XrefTokenResponse token = doubt.token();
		ReadBack stored = readBack(doubt.tenantKey(), token);
		if (stored == ReadBack.UNKNOWN) {
			return false;
		}
		logger.info("Settled the connect of Xref account " + token.xrefAccountId() + " for tenant " + doubt.tenantKey()
				+ ": " + stored.name().toLowerCase(Locale.ROOT));
		if (stored == ReadBack.STORED) {
			connected(doubt.tenantKey(), token, doubt.userName(), Replaced.UNKNOWN, doubt.restoring());
			return true;
		}
		if (stored == ReadBack.NOT_HELD) {
			revoke(token.accessToken(), "unstored token of Xref account " + token.xrefAccountId());
		}
		fail(XrefConnectFailure.STORE_FAILED, null, doubt.tenantKey(), doubt.userName());
		return true;
	}

	/**
	 * Settles the connects in doubt now, on the calling thread, as the background does.
	 * @return how many were settled
	 */
	int settleNow() {
		return this.settler.settleNow();
	}

	/**
	 * Stops settling connects in doubt; those left unsettled are logged at WARN, by
	 * account.
	 */
	@Override
	public void destroy() {
		List<XrefConnectSettler.Unsettled> left = this.settler.close();
		if (!left.isEmpty()) {
			logger.warn(left.size() + " Xref connects stay unsettled at shutdown, of the Xref accounts "
					+ left.stream().map((doubt) -> doubt.token().xrefAccountId()).collect(Collectors.joining(", "))
					+ ": each token is either stored or still valid at Xref without being stored");
		}
	}

	/**
	 * Reads back what a failed save left in the store. The read is tried twice: a pool
	 * hands out a connection that broke with the save once, then discards it.
	 */
	private ReadBack readBack(String tenantKey, XrefTokenResponse token) {
		for (int attempt = 1;; attempt++) {
			try {
				if (!holds(this.accountStore.findByAccount(token.xrefAccountId()), token)) {
					return ReadBack.NOT_HELD;
				}
				return holds(this.accountStore.findByTenant(tenantKey), token) ? ReadBack.STORED
						: ReadBack.HELD_UNLINKED;
			}
			catch (RuntimeException ex) {
				if (attempt == READ_BACK_ATTEMPTS) {
					return ReadBack.UNKNOWN;
				}
			}
		}
	}

	private static boolean holds(Optional<XrefConnection> stored, XrefTokenResponse token) {
		return stored.filter((connection) -> connection.accessToken().equals(token.accessToken())).isPresent();
	}

	/**
	 * Revokes a token the store does not hold; a failure is logged and changes nothing
	 * else.
	 */
	private void revoke(String accessToken, String which) {
		if (this.tokenRevoker == null) {
			logger.warn("No XrefTokenRevoker: the " + which + " stays valid at Xref");
			return;
		}
		try {
			this.tokenRevoker.revoke(accessToken);
			logger.info("Revoked the " + which + " at Xref");
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not revoke the " + which + "; it may stay valid at Xref: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * Sets where completed and failed connects are counted.
	 * @param outcomes the counters
	 */
	public void setConnectOutcomes(XrefConnectOutcomes outcomes) {
		Assert.notNull(outcomes, "outcomes cannot be null");
		this.outcomes = outcomes;
	}

	/**
	 * Sets what revokes tokens that the store does not keep: a new token that could not
	 * be stored, and the token that a reconnect replaced. Without one, such tokens stay
	 * valid at Xref and a warning is logged.
	 * @param tokenRevoker the revoker
	 */
	public void setTokenRevoker(XrefTokenRevoker tokenRevoker) {
		Assert.notNull(tokenRevoker, "tokenRevoker cannot be null");
		this.tokenRevoker = tokenRevoker;
	}

	/**
	 * Sets the publisher of {@code XrefConnectedEvent}, {@code XrefRestoredEvent},
	 * {@code XrefDisconnectedEvent} and {@code XrefConnectFailedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the registry of the {@code xref.connect} and {@code xref.token.exchange}
	 * observations. Defaults to {@link ObservationRegistry#NOOP}.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "observationRegistry cannot be null");
		this.observationRegistry = observationRegistry;
		this.observations = new XrefObservations(observationRegistry);
	}

	/**
	 * Returns the registry of the {@code xref.connect} and {@code xref.token.exchange}
	 * observations, for a caller that observes a connect which does not run within one
	 * call.
	 * @return the registry
	 */
	public ObservationRegistry getObservationRegistry() {
		return this.observationRegistry;
	}

	/**
	 * Sets how often connects in doubt are read back while the store answers; while it
	 * does not, rounds back off to at most 12 times this. Defaults to 5 seconds.
	 * @param settleInterval the interval, positive
	 */
	public void setSettleInterval(Duration settleInterval) {
		this.settler.setInterval(settleInterval);
	}

	/**
	 * Sets the clock that stamps new connections and events and spaces the warnings about
	 * faults, which start afresh.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		this.faultWarnings = new RateLimitedWarnings<>(WARNING_INTERVAL, clock);
	}

	/**
	 * What a save ended: the connections the store returned, nothing known (a save that
	 * reported a failure but committed), the failure of a save that did not commit, or a
	 * failure that may or may not have committed (pending).
	 */
	private record Replaced(List<XrefConnection> connections, boolean known, @Nullable RuntimeException failure,
			boolean pending) {

		static final Replaced UNKNOWN = new Replaced(List.of(), false, null, false);

		static Replaced exactly(List<XrefConnection> ended) {
			return new Replaced(List.copyOf(ended), true, null, false);
		}

		static Replaced failed(RuntimeException failure) {
			return new Replaced(List.of(), false, failure, false);
		}

		static Replaced pending(RuntimeException failure) {
			return new Replaced(List.of(), false, failure, true);
		}

		/** The accounts that the tenant left and the store deleted. */
		List<XrefConnection> leftAccounts(XrefTokenResponse token) {
			return this.connections.stream()
				.filter((ended) -> !ended.xrefAccountId().equals(token.xrefAccountId()))
				.toList();
		}

	}

	/**
	 * The end user of one request, as the connect rules see them: their name if they are
	 * authenticated, and a lookup of their tenant that runs at most once. A lookup that
	 * returns {@code null} or an empty key, or throws, means the end user has no tenant.
	 * One per request; not thread-safe.
	 */
	public static final class EndUser {

		private final @Nullable String name;

		private final Supplier<@Nullable String> tenantLookup;

		private boolean looked;

		private @Nullable String tenantKey;

		private @Nullable RuntimeException lookupFailure;

		private EndUser(@Nullable String name, Supplier<@Nullable String> tenantLookup) {
			this.name = name;
			this.tenantLookup = tenantLookup;
		}

		/**
		 * Returns an end user who is not authenticated.
		 * @return the end user
		 */
		public static EndUser anonymous() {
			return new EndUser(null, () -> null);
		}

		/**
		 * Returns an authenticated end user.
		 * @param name the end user's name
		 * @param tenantLookup returns the end user's tenant key, or {@code null} for none
		 * @return the end user
		 */
		public static EndUser authenticated(String name, Supplier<@Nullable String> tenantLookup) {
			Assert.notNull(name, "name cannot be null");
			Assert.notNull(tenantLookup, "tenantLookup cannot be null");
			return new EndUser(name, tenantLookup);
		}

		/**
		 * Returns the end user's name.
		 * @return the name, or {@code null} if the end user is not authenticated
		 */
		public @Nullable String name() {
			return this.name;
		}

		/**
		 * Returns the tenant key, looked up once.
		 * @throws RuntimeException what the lookup threw, or an
		 * {@link IllegalStateException} if it found no tenant
		 */
		String tenantKey() {
			if (!this.looked) {
				this.looked = true;
				try {
					String key = this.tenantLookup.get();
					if (StringUtils.hasText(key)) {
						this.tenantKey = key;
					}
					else {
						this.lookupFailure = new IllegalStateException("XrefTenantResolver returned no tenant key");
					}
				}
				catch (RuntimeException ex) {
					this.lookupFailure = ex;
				}
			}
			if (this.lookupFailure != null) {
				throw this.lookupFailure;
			}
			return Objects.requireNonNull(this.tenantKey);
		}

		@Nullable String tenantKeyOrNull() {
			try {
				return tenantKey();
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

	}

	/**
	 * Ends a start that {@link #checkStart} refused; {@link #startFailed} reads its
	 * reason.
	 */
	private static final class StartRefused extends RuntimeException {

		private final XrefConnectFailure failure;

		StartRefused(XrefConnectFailure failure, @Nullable Throwable cause) {
			super(failure.code(), cause, false, false);
			this.failure = failure;
		}

	}

	/**
	 * What a failed save left in the store.
	 */
	private enum ReadBack {

		/**
		 * The account holds the token and the tenant is linked to it: the write
		 * committed.
		 */
		STORED,

		/** The account holds the token, but the tenant is not linked to it. */
		HELD_UNLINKED,

		/** The account holds another token or none: the write did not commit. */
		NOT_HELD,

		/** The store could not be read. */
		UNKNOWN

	}

}
