package io.github.xrefoauth.client;

import java.time.Instant;

import io.github.xrefoauth.account.ReactiveXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefForgottenEvent;
import io.github.xrefoauth.observation.ReactiveXrefObservations;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.github.xrefoauth.token.XrefApiAnswer;
import io.github.xrefoauth.token.XrefApiException;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

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
 * ({@link XrefApiAnswer}). Store calls never run on the subscribing thread.
 * <p>
 * A call counts as done only on what Xref's reference promises: a 2xx JSON answer (for
 * {@code POST /oauth/deauthorize}, a JSON object whose {@code access_token} is the token
 * revoked). Any other answer, a redirect included, is an {@link XrefApiException} and the
 * connection is kept.
 */
public class ReactiveXrefConnectionService {

	private static final Log logger = LogFactory.getLog(ReactiveXrefConnectionService.class);

	private final ReactiveXrefAccountStore accountStore;

	private final ReactiveXrefTenantContext tenantContext;

	private final WebClient xrefWebClient;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private ReactiveXrefObservations observations = new ReactiveXrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a service.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param xrefWebClient a client that adds the account's token (see
	 * {@code XrefTokenFilterFunction}) and does not follow redirects
	 */
	public ReactiveXrefConnectionService(ReactiveXrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
			WebClient xrefWebClient) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(xrefWebClient, "xrefWebClient cannot be null");
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
		this.xrefWebClient = xrefWebClient;
	}

	/**
	 * Returns the connection of the authenticated end user's tenant.
	 * @return the connection, or empty if there is no end user or no connection
	 */
	public Mono<XrefConnection> current() {
		return this.tenantContext.currentTenant().flatMap(this.accountStore::findByTenant);
	}

	/**
	 * Asks Xref whether the current connection's token is still valid
	 * ({@code POST /auth}). A token that Xref rejects ({@code 401}) is forgotten, unless
	 * the tenant was connected anew with another token meanwhile.
	 * @return {@link XrefVerification#ACCEPTED} on a 2xx JSON answer;
	 * {@link XrefVerification#FORGOTTEN} or {@link XrefVerification#REPLACED} on a
	 * {@code 401}; an {@link XrefNotConnectedException} if the tenant has no connection;
	 * an {@link XrefApiException} for any other answer, or a {@code WebClient} exception
	 * if Xref could not be reached, and then the connection is kept
	 */
	public Mono<XrefVerification> verify() {
		return requireCurrent().flatMap((connection) -> post(XrefApiAnswer.toAuth(), connection)
			.flatMap((accepted) -> accepted ? Mono.just(XrefVerification.ACCEPTED) : forgetRejected(connection)));
	}

	private Mono<XrefVerification> forgetRejected(XrefConnection connection) {
		return this.accountStore.deleteByAccessToken(connection.accessToken())
			.then(current().filter((now) -> !now.accessToken().equals(connection.accessToken())).hasElement())
			.map((replaced) -> replaced ? XrefVerification.REPLACED : XrefVerification.FORGOTTEN);
	}

	/**
	 * Revokes the current connection's token at Xref ({@code POST /oauth/deauthorize})
	 * and forgets the account for every tenant linked to it. A token that Xref already
	 * rejects ({@code 401}) is forgotten as well. A newer token of the account, stored
	 * meanwhile, is kept: {@link #current()} then still returns a connection.
	 * @return completes once the connection is forgotten; an
	 * {@link XrefNotConnectedException} if the tenant has no connection; an
	 * {@link XrefApiException} if Xref answered anything but the revoked token, or a
	 * {@code WebClient} exception if Xref could not be reached, and then the connection
	 * is kept so that the end user can try again. If Xref refuses for good
	 * ({@link XrefApiException#isRefusal()}), see {@link #forget()}
	 */
	public Mono<Void> disconnect() {
		return requireCurrent().flatMap((connection) -> this.observations
			.observe(XrefObservationDocumentation.DEAUTHORIZE,
					post(XrefApiAnswer.toDeauthorize(connection.accessToken()), connection))
			.then(this.accountStore.deleteByAccessToken(connection.accessToken()))
			.then(publish((tenantKey, endUser) -> new XrefDisconnectedEvent(tenantKey, connection.xrefAccountId(),
					endUser, Instant.now()))));
	}

	/**
	 * Forgets the current connection without calling Xref: the account's token is removed
	 * from the store for every tenant linked to it. Meant for an account that Xref
	 * refuses to deauthorize for good ({@link XrefApiException#isRefusal()}); the
	 * application calls it deliberately, say after asking the end user. <strong>The token
	 * may stay valid at Xref</strong>: Xref still honours it until it is revoked there. A
	 * newer token of the account, stored meanwhile, is kept.
	 * @return completes once the connection is forgotten; an
	 * {@link XrefNotConnectedException} if the tenant has no connection
	 */
	public Mono<Void> forget() {
		return requireCurrent().flatMap((connection) -> this.accountStore.deleteByAccessToken(connection.accessToken())
			.flatMap((forgotten) -> forgotten ? announceForgotten(connection) : Mono.empty()));
	}

	private Mono<Void> announceForgotten(XrefConnection connection) {
		logger.warn("Forgot Xref account " + connection.xrefAccountId()
				+ " without revoking its token at Xref; the token may still be valid there");
		return publish((tenantKey, endUser) -> new XrefForgottenEvent(tenantKey, connection.xrefAccountId(), endUser,
				Instant.now()));
	}

	/**
	 * Sets the publisher of {@code XrefDisconnectedEvent} and {@code XrefForgottenEvent}.
	 * Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
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
	 * Posts to Xref with the connection's token.
	 * @return {@code true} on the promised answer, {@code false} on a {@code 401}; an
	 * {@link XrefApiException} on any other answer
	 */
	private Mono<Boolean> post(XrefApiAnswer promised, XrefConnection connection) {
		return this.xrefWebClient.post()
			.uri(promised.path())
			.accept(MediaType.APPLICATION_JSON)
			.attributes(XrefRequestAttributes.account(connection.xrefAccountId()))
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

	private Mono<Void> publish(EventFactory event) {
		return this.tenantContext.currentUser()
			.flatMap((user) -> this.tenantContext.tenantOf(user)
				.doOnNext((tenantKey) -> this.eventPublisher.publishEvent(event.create(tenantKey, user.getName()))))
			.then();
	}

	private Mono<XrefConnection> requireCurrent() {
		return current().switchIfEmpty(Mono.error(() -> new XrefNotConnectedException("No Xref account is connected")));
	}

	@FunctionalInterface
	private interface EventFactory {

		Object create(String tenantKey, String endUser);

	}

}
