package io.github.xrefoauth.client;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.internal.ReactiveXrefObservations;
import io.github.xrefoauth.internal.XrefApiAnswer;
import io.github.xrefoauth.internal.XrefRejections;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Reads, verifies, disconnects and forgets the Xref connection of the authenticated end
 * user's tenant in a WebFlux application: the reactive counterpart of
 * {@code XrefConnectionService}, judging Xref's answers the same way
 * ({@link XrefApiAnswer}) and following them by the same rules. Store calls never run on
 * the subscribing thread.
 * <p>
 * A call counts as done only on what Xref's reference promises: a 2xx JSON answer (for
 * {@code POST /oauth/deauthorize}, a JSON object whose {@code access_token} is the token
 * revoked). Any other answer, a redirect included, is an {@link XrefApiException} and the
 * connection is kept.
 *
 * @since 0.1.0
 */
public class ReactiveXrefConnectionService {

	private final XrefConnectionRules rules;

	private final ReactiveXrefTenantContext tenantContext;

	private final WebClient xrefWebClient;

	private Scheduler scheduler = Schedulers.boundedElastic();

	private ReactiveXrefObservations observations = new ReactiveXrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a service.
	 * @param accountStore the connected accounts, called on a scheduler for blocking work
	 * ({@link Schedulers#boundedElastic()} by default)
	 * @param tenantContext the current end user's tenant
	 * @param xrefWebClient a client that adds the account's token (see
	 * {@code XrefTokenFilterFunction}) and does not follow redirects
	 */
	public ReactiveXrefConnectionService(XrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
			WebClient xrefWebClient) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(xrefWebClient, "xrefWebClient cannot be null");
		this.rules = new XrefConnectionRules(accountStore);
		this.tenantContext = tenantContext;
		this.xrefWebClient = xrefWebClient;
	}

	/**
	 * Returns the connection of the authenticated end user's tenant.
	 * @return the connection, or empty if there is no end user or no connection
	 */
	public Mono<XrefConnection> current() {
		return endUser().flatMap((endUser) -> offload(() -> this.rules.current(endUser).orElse(null)));
	}

	/**
	 * Returns the status of the authenticated end user's tenant's connection: connected,
	 * needing a reconnect (Xref rejected the token: when, and which call found it), or
	 * not connected.
	 * @return the status; not connected if there is no end user
	 */
	public Mono<XrefConnectionStatus> status() {
		return endUser().flatMap((endUser) -> offload(() -> this.rules.status(endUser)));
	}

	/**
	 * Asks Xref whether the current connection's token is still valid
	 * ({@code POST /auth}). A token that Xref rejects ({@code 401}) is rejected in the
	 * store: the tenants linked to its account then need a reconnect ({@link #status()}),
	 * and one {@code XrefRevokedEvent} names them, found by {@code VERIFY}; unless the
	 * tenant was connected anew with another token meanwhile.
	 * @return {@link XrefVerification#ACCEPTED} on a 2xx JSON answer;
	 * {@link XrefVerification#FORGOTTEN} or {@link XrefVerification#REPLACED} on a
	 * {@code 401}; an {@link XrefNotConnectedException} if the tenant has no connection;
	 * an {@code XrefRateLimitedException}, with the wait, on a {@code 429}; an
	 * {@link XrefApiException} for any other answer, or a {@code WebClient} exception if
	 * Xref could not be reached, and then the connection is kept
	 */
	public Mono<XrefVerification> verify() {
		return requireCurrent().flatMap((connected) -> post(XrefApiAnswer.toAuth(), connected.connection(),
				XrefConnectionStatus.RejectedBy.VERIFY)
			.flatMap((accepted) -> offload(() -> this.rules.verified(connected, accepted))));
	}

	/**
	 * Revokes the current connection's token at Xref ({@code POST /oauth/deauthorize})
	 * and forgets the account for every tenant linked to it. The token read at the start
	 * is the one sent and the one forgotten. A token that Xref already rejects
	 * ({@code 401}) is forgotten as well. A newer token of the account, stored meanwhile
	 * by another member of the tenant, is kept and no {@code XrefDisconnectedEvent} is
	 * published: {@link #current()} then still returns a connection. A connection that
	 * needs a reconnect ({@link #status()}) holds no token: its record is removed without
	 * calling Xref, and an {@code XrefDisconnectedEvent} published.
	 * @return completes once the connection is forgotten; an
	 * {@link XrefNotConnectedException} if the tenant has no connection; an
	 * {@link XrefApiException} if Xref answered anything but the revoked token, or a
	 * {@code WebClient} exception if Xref could not be reached, and then the connection
	 * is kept so that the end user can try again. If Xref refuses for good
	 * ({@link XrefApiException#isRefusal()}), see {@link #forget()}
	 */
	public Mono<Void> disconnect() {
		return currentOrRemoveRejected().flatMap((connected) -> {
			XrefConnection connection = connected.connection();
			return this.observations
				.observe(XrefObservationDocumentation.DEAUTHORIZE,
						post(XrefApiAnswer.toDeauthorize(connection.accessToken()), connection,
								XrefConnectionStatus.RejectedBy.API_CALL))
				.then(run(() -> this.rules.disconnected(connected)));
		});
	}

	/**
	 * Forgets the current connection without calling Xref: the account's token is removed
	 * from the store for every tenant linked to it. Meant for an account that Xref
	 * refuses to deauthorize for good ({@link XrefApiException#isRefusal()}); the
	 * application calls it deliberately, say after asking the end user. <strong>The token
	 * may stay valid at Xref</strong>: Xref still honours it until it is revoked there. A
	 * newer token of the account, stored meanwhile, is kept. A connection that needs a
	 * reconnect holds no token: its record is removed as by {@link #disconnect()}.
	 * @return completes once the connection is forgotten; an
	 * {@link XrefNotConnectedException} if the tenant has no connection
	 */
	public Mono<Void> forget() {
		return currentOrRemoveRejected().flatMap((connected) -> run(() -> this.rules.forget(connected)));
	}

	/**
	 * Sets the publisher of {@code XrefDisconnectedEvent}, {@code XrefForgottenEvent} and
	 * {@code XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.rules.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Sets the registry of the {@code xref.deauthorize} observation. Defaults to
	 * {@link ObservationRegistry#NOOP}.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "observationRegistry cannot be null");
		this.observations = new ReactiveXrefObservations(observationRegistry);
	}

	/**
	 * Sets the scheduler that the store is called on. Defaults to
	 * {@link Schedulers#boundedElastic()}.
	 * @param scheduler a scheduler whose threads may block
	 */
	public void setScheduler(Scheduler scheduler) {
		Assert.notNull(scheduler, "scheduler cannot be null");
		this.scheduler = scheduler;
	}

	/**
	 * Posts to Xref with exactly the connection's token, never one looked up again.
	 * @return {@code true} on the promised answer, {@code false} on a {@code 401}; an
	 * {@link XrefApiException} on any other answer
	 */
	private Mono<Boolean> post(XrefApiAnswer promised, XrefConnection connection,
			XrefConnectionStatus.RejectedBy rejectedBy) {
		return this.xrefWebClient.post()
			.uri(promised.path())
			.accept(MediaType.APPLICATION_JSON)
			.attributes(XrefRequestAttributes.connection(connection))
			.attributes((attributes) -> attributes.put(XrefRejections.REJECTED_BY, rejectedBy))
			.exchangeToMono((response) -> judge(promised, response));
	}

	private static Mono<Boolean> judge(XrefApiAnswer promised, ClientResponse response) {
		HttpStatusCode status = response.statusCode();
		HttpHeaders headers = response.headers().asHttpHeaders();
		if (!promised.judgeHead(status, headers)) {
			return response.releaseBody().thenReturn(false);
		}
		return DataBufferUtils
			.join(DataBufferUtils.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()),
					XrefApiAnswer.MAX_BODY_BYTES))
			.map(ReactiveXrefConnectionService::bytes)
			.defaultIfEmpty(new byte[0])
			.map((body) -> {
				promised.judgeBody(status, headers, body);
				return true;
			});
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private Mono<XrefConnectionRules.Connected> requireCurrent() {
		return endUser().flatMap((endUser) -> offload(() -> this.rules.requireCurrent(endUser)));
	}

	/**
	 * The connection to disconnect or forget, or empty once the record of a connection
	 * that needed a reconnect is removed.
	 */
	private Mono<XrefConnectionRules.Connected> currentOrRemoveRejected() {
		return endUser().flatMap((endUser) -> offload(() -> this.rules.currentOrRemoveRejected(endUser).orElse(null)));
	}

	/**
	 * The authenticated end user of the reactive security context, with their tenant.
	 */
	private Mono<Optional<XrefConnectionRules.EndUser>> endUser() {
		return this.tenantContext.currentUser()
			.flatMap((user) -> this.tenantContext.tenantOf(user)
				.map((tenantKey) -> Optional.of(new XrefConnectionRules.EndUser(user.getName(), tenantKey))))
			.defaultIfEmpty(Optional.empty());
	}

	private <T> Mono<T> offload(Callable<@Nullable T> call) {
		return Mono.fromCallable(call).subscribeOn(this.scheduler);
	}

	private Mono<Void> run(Runnable work) {
		return Mono.<Void>fromRunnable(work).subscribeOn(this.scheduler);
	}

}
