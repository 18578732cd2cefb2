package io.github.xrefoauth.client;

import java.util.Optional;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.internal.XrefApiAnswer;
import io.github.xrefoauth.internal.XrefRejections;
import io.github.xrefoauth.internal.XrefObservations;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Reads, verifies, disconnects and forgets the Xref connection of the authenticated end
 * user's tenant.
 * <p>
 * A call counts as done only on what Xref's reference promises: a 2xx JSON answer (for
 * {@code POST /oauth/deauthorize}, a JSON object whose {@code access_token} is the token
 * revoked). Any other answer, a redirect included, is an {@link XrefApiException} and the
 * connection is kept.
 *
 * @since 0.1.0
 */
public class XrefConnectionService {

	private final XrefConnectionRules rules;

	private final XrefTenantContext tenantContext;

	private final RestClient xrefRestClient;

	private XrefObservations observations = new XrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a service.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param xrefRestClient a client that adds the account's token (see
	 * {@code XrefTokenInterceptor}) and does not follow redirects
	 */
	public XrefConnectionService(XrefAccountStore accountStore, XrefTenantContext tenantContext,
			RestClient xrefRestClient) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(xrefRestClient, "xrefRestClient cannot be null");
		this.rules = new XrefConnectionRules(accountStore);
		this.tenantContext = tenantContext;
		this.xrefRestClient = xrefRestClient;
	}

	/**
	 * Returns the connection of the authenticated end user's tenant.
	 * @return the connection, or empty if there is no end user or no connection
	 */
	public Optional<XrefConnection> current() {
		return this.rules.current(endUser());
	}

	/**
	 * Returns the status of the authenticated end user's tenant's connection: connected,
	 * needing a reconnect (Xref rejected the token: when, and which call found it), or
	 * not connected.
	 * @return the status; not connected if there is no end user
	 */
	public XrefConnectionStatus status() {
		return this.rules.status(endUser());
	}

	/**
	 * Asks Xref whether the current connection's token is still valid
	 * ({@code POST /auth}). A token that Xref rejects ({@code 401}) is rejected in the
	 * store: the tenants linked to its account then need a reconnect ({@link #status()}),
	 * and one {@code XrefRevokedEvent} names them, found by {@code VERIFY}; unless the
	 * tenant was connected anew with another token meanwhile.
	 * @return {@link XrefVerification#ACCEPTED} on a 2xx JSON answer;
	 * {@link XrefVerification#FORGOTTEN} or {@link XrefVerification#REPLACED} on a
	 * {@code 401}
	 * @throws XrefNotConnectedException if the tenant has no connection
	 * @throws io.github.xrefoauth.account.XrefRateLimitedException if Xref limited the
	 * rate of calls ({@code 429}), with the wait; the connection is kept
	 * @throws XrefApiException if Xref answered anything else; the connection is kept
	 * @throws org.springframework.web.client.RestClientException if Xref could not be
	 * reached or did not answer in time; the connection is kept
	 */
	public XrefVerification verify() {
		XrefConnectionRules.Connected connected = requireCurrent();
		return this.rules.verified(connected,
				post(XrefApiAnswer.toAuth(), connected.connection(), XrefConnectionStatus.RejectedBy.VERIFY));
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
	 * @throws XrefNotConnectedException if the tenant has no connection
	 * @throws XrefApiException if Xref answered anything but the revoked token; the
	 * connection is kept so that the end user can try again. If Xref refuses for good
	 * ({@link XrefApiException#isRefusal()}), see {@link #forget()}
	 * @throws org.springframework.web.client.RestClientException if Xref could not be
	 * reached or did not answer in time; the connection is kept
	 */
	public void disconnect() {
		XrefConnectionRules.Connected connected = this.rules.currentOrRemoveRejected(endUser()).orElse(null);
		if (connected == null) {
			return;
		}
		XrefConnection connection = connected.connection();
		this.observations.observe(XrefObservationDocumentation.DEAUTHORIZE,
				() -> post(XrefApiAnswer.toDeauthorize(connection.accessToken()), connection,
						XrefConnectionStatus.RejectedBy.API_CALL));
		this.rules.disconnected(connected);
	}

	/**
	 * Forgets the current connection without calling Xref: the account's token is removed
	 * from the store for every tenant linked to it. Meant for an account that Xref
	 * refuses to deauthorize for good ({@link XrefApiException#isRefusal()}); the
	 * application calls it deliberately, say after asking the end user. <strong>The token
	 * may stay valid at Xref</strong>: Xref still honours it until it is revoked there. A
	 * newer token of the account, stored meanwhile, is kept. A connection that needs a
	 * reconnect holds no token: its record is removed as by {@link #disconnect()}.
	 * @throws XrefNotConnectedException if the tenant has no connection
	 */
	public void forget() {
		this.rules.currentOrRemoveRejected(endUser()).ifPresent(this.rules::forget);
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
		this.observations = new XrefObservations(observationRegistry);
	}

	/**
	 * Posts to Xref with exactly the connection's token, never one looked up again.
	 * @return {@code true} on the promised answer, {@code false} on a {@code 401}
	 * @throws XrefApiException on any other answer
	 */
	private boolean post(XrefApiAnswer promised, XrefConnection connection,
			XrefConnectionStatus.RejectedBy rejectedBy) {
		Boolean done = this.xrefRestClient.post()
			.uri(promised.path())
			.accept(MediaType.APPLICATION_JSON)
			.attributes(XrefRequestAttributes.connection(connection))
			.attributes((attributes) -> attributes.put(XrefRejections.REJECTED_BY, rejectedBy))
			.exchange((request, response) -> {
				HttpStatusCode status = response.getStatusCode();
				if (!promised.judgeHead(status, response.getHeaders())) {
					return false;
				}
				promised.judgeBody(status, response.getHeaders(),
						response.getBody().readNBytes(XrefApiAnswer.MAX_BODY_BYTES));
				return true;
			});
		return Boolean.TRUE.equals(done);
	}

	private XrefConnectionRules.Connected requireCurrent() {
		return this.rules.requireCurrent(endUser());
	}

	private Optional<XrefConnectionRules.EndUser> endUser() {
		return this.tenantContext.currentUser()
			.flatMap((user) -> this.tenantContext.findTenant(user)
				.map((tenantKey) -> new XrefConnectionRules.EndUser(user.getName(), tenantKey)));
	}

}
