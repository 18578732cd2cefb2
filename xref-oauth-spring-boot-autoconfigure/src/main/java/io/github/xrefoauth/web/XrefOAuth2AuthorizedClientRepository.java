package io.github.xrefoauth.web;

import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizedClientRepository} whose {@code xref} clients are the Xref
 * connections of the end users' tenants (see {@link XrefAuthorizedClients}); every other
 * registration goes to the delegate unchanged.
 *
 * @since 0.1.0
 */
public final class XrefOAuth2AuthorizedClientRepository implements OAuth2AuthorizedClientRepository {

	private final XrefAuthorizedClients xrefClients;

	private final OAuth2AuthorizedClientRepository delegate;

	/**
	 * Creates a repository.
	 * @param xrefClients the Xref connections
	 * @param delegate the repository for every other registration
	 */
	public XrefOAuth2AuthorizedClientRepository(XrefAuthorizedClients xrefClients,
			OAuth2AuthorizedClientRepository delegate) {
		Assert.notNull(xrefClients, "xrefClients cannot be null");
		Assert.notNull(delegate, "delegate cannot be null");
		this.xrefClients = xrefClients;
		this.delegate = delegate;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String clientRegistrationId,
			@Nullable Authentication principal, HttpServletRequest request) {
		if (this.xrefClients.isXref(clientRegistrationId)) {
			return (T) this.xrefClients.load(principal);
		}
		return this.delegate.loadAuthorizedClient(clientRegistrationId, principal, request);
	}

	@Override
	public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, @Nullable Authentication principal,
			HttpServletRequest request, HttpServletResponse response) {
		if (this.xrefClients.isXref(authorizedClient.getClientRegistration().getRegistrationId())) {
			Assert.notNull(principal, "An Xref connection is saved for an authenticated end user");
			this.xrefClients.save(authorizedClient, principal);
			return;
		}
		this.delegate.saveAuthorizedClient(authorizedClient, principal, request, response);
	}

	@Override
	public void removeAuthorizedClient(String clientRegistrationId, @Nullable Authentication principal,
			HttpServletRequest request, HttpServletResponse response) {
		if (this.xrefClients.isXref(clientRegistrationId)) {
			this.xrefClients.remove(principal);
			return;
		}
		this.delegate.removeAuthorizedClient(clientRegistrationId, principal, request, response);
	}

}
