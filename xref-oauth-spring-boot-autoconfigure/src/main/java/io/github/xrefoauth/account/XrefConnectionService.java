package io.github.xrefoauth.account;

import java.time.Instant;
import java.util.Optional;

import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.github.xrefoauth.observation.XrefObservations;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.context.ApplicationEventPublisher;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Reads, verifies and disconnects the Xref connection of the authenticated end user's
 * tenant.
 */
public class XrefConnectionService {

	private final XrefAccountStore accountStore;

	private final XrefTenantContext tenantContext;

	private final RestClient xrefRestClient;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private XrefObservations observations = new XrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a service.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param xrefRestClient a client that adds the account's token (see
	 * {@code XrefTokenInterceptor})
	 */
	public XrefConnectionService(XrefAccountStore accountStore, XrefTenantContext tenantContext,
			RestClient xrefRestClient) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(xrefRestClient, "xrefRestClient cannot be null");
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
		this.xrefRestClient = xrefRestClient;
	}

	/**
	 * Returns the connection of the authenticated end user's tenant.
	 * @return the connection, or empty if there is no end user or no connection
	 */
	public Optional<XrefConnection> current() {
		return this.tenantContext.currentTenant().flatMap(this.accountStore::findByTenant);
	}

	/**
	 * Asks Xref whether the current connection's token is still valid
	 * ({@code POST /auth}). A token that Xref rejects is forgotten.
	 * @return {@code true} if Xref accepted the token, {@code false} if it rejected it
	 * @throws XrefNotConnectedException if the tenant has no connection
	 * @throws org.springframework.web.client.RestClientException if Xref could not answer
	 */
	public boolean verify() {
		XrefConnection connection = requireCurrent();
		try {
			post("/auth", connection);
			return true;
		}
		catch (HttpClientErrorException.Unauthorized ex) {
			return false;
		}
	}

	/**
	 * Revokes the current connection's token at Xref ({@code POST /oauth/deauthorize})
	 * and forgets the account for every tenant linked to it. A token that Xref already
	 * rejects is forgotten as well.
	 * @throws XrefNotConnectedException if the tenant has no connection
	 * @throws org.springframework.web.client.RestClientException if Xref could not revoke
	 * the token; the connection is kept so that the end user can try again
	 */
	public void disconnect() {
		XrefConnection connection = requireCurrent();
		try {
			this.observations.observe(XrefObservationDocumentation.DEAUTHORIZE,
					() -> post("/oauth/deauthorize", connection));
		}
		catch (HttpClientErrorException ex) {
			if (!ex.getStatusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
				throw ex;
			}
		}
		this.accountStore.deleteByAccessToken(connection.accessToken());
		this.tenantContext.currentUser()
			.ifPresent((user) -> this.eventPublisher.publishEvent(new XrefDisconnectedEvent(
					this.tenantContext.tenantOf(user), connection.xrefAccountId(), user.getName(), Instant.now())));
	}

	/**
	 * Sets the publisher of {@code XrefDisconnectedEvent}. Defaults to none.
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
		this.observations = new XrefObservations(observationRegistry);
	}

	private Object post(String path, XrefConnection connection) {
		return this.xrefRestClient.post()
			.uri(path)
			.attributes(XrefRequestAttributes.account(connection.xrefAccountId()))
			.retrieve()
			.toBodilessEntity();
	}

	private XrefConnection requireCurrent() {
		return current().orElseThrow(() -> new XrefNotConnectedException("No Xref account is connected"));
	}

}
