package io.github.xrefoauth.authorizedclient;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizedClientService} whose {@code xref} clients are the Xref
 * connections of the end users' tenants (see {@link XrefAuthorizedClients}); every other
 * registration goes to the delegate unchanged.
 * <p>
 * The principal name passed to {@link #loadAuthorizedClient} and
 * {@link #removeAuthorizedClient} is an end user's name, as in Spring Security; it is
 * mapped to a tenant through the authenticated end user when the name is theirs.
 *
 * @since 0.1.0
 */
public final class XrefOAuth2AuthorizedClientService implements OAuth2AuthorizedClientService {

	private final XrefAuthorizedClients xrefClients;

	private final OAuth2AuthorizedClientService delegate;

	/**
	 * Creates a service.
	 * @param xrefClients the Xref connections
	 * @param delegate the service for every other registration
	 */
	public XrefOAuth2AuthorizedClientService(XrefAuthorizedClients xrefClients,
			OAuth2AuthorizedClientService delegate) {
		Assert.notNull(xrefClients, "xrefClients cannot be null");
		Assert.notNull(delegate, "delegate cannot be null");
		this.xrefClients = xrefClients;
		this.delegate = delegate;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		if (this.xrefClients.isXref(clientRegistrationId)) {
			return (T) this.xrefClients.load(this.xrefClients.principalNamed(principalName));
		}
		return this.delegate.loadAuthorizedClient(clientRegistrationId, principalName);
	}

	@Override
	public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		if (this.xrefClients.isXref(authorizedClient.getClientRegistration().getRegistrationId())) {
			this.xrefClients.save(authorizedClient, principal);
			return;
		}
		this.delegate.saveAuthorizedClient(authorizedClient, principal);
	}

	@Override
	public void removeAuthorizedClient(String clientRegistrationId, String principalName) {
		if (this.xrefClients.isXref(clientRegistrationId)) {
			this.xrefClients.remove(this.xrefClients.principalNamed(principalName));
			return;
		}
		this.delegate.removeAuthorizedClient(clientRegistrationId, principalName);
	}

}
