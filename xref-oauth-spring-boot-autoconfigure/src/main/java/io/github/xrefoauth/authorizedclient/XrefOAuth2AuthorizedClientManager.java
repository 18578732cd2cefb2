package io.github.xrefoauth.authorizedclient;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizedClientManager} that answers {@code xref} with the Xref
 * connection of the principal's tenant (see {@link XrefAuthorizedClients}) and passes
 * every other registration to the delegate unchanged.
 * <p>
 * A tenant without connection gets a {@link ClientAuthorizationRequiredException}, as
 * Spring Security's authorization-code provider throws: the end user has to connect
 * first. A connection never expires and is never refreshed; a client passed for
 * re-authorization is read again from the store, so a disconnected one is not returned.
 * The manager works outside an HTTP request too, given a principal.
 * <p>
 * To keep a manager of your own for your registrations, wrap it:
 * {@code new XrefOAuth2AuthorizedClientManager(xrefClients, yourManager)}.
 *
 * @since 0.1.0
 */
public final class XrefOAuth2AuthorizedClientManager implements OAuth2AuthorizedClientManager {

	private final XrefAuthorizedClients xrefClients;

	private final @Nullable OAuth2AuthorizedClientManager delegate;

	/**
	 * Creates a manager.
	 * @param xrefClients the Xref connections
	 * @param delegate the manager for every other registration, or {@code null} when the
	 * application has none
	 */
	public XrefOAuth2AuthorizedClientManager(XrefAuthorizedClients xrefClients,
			@Nullable OAuth2AuthorizedClientManager delegate) {
		Assert.notNull(xrefClients, "xrefClients cannot be null");
		this.xrefClients = xrefClients;
		this.delegate = delegate;
	}

	@Override
	public @Nullable OAuth2AuthorizedClient authorize(OAuth2AuthorizeRequest authorizeRequest) {
		Assert.notNull(authorizeRequest, "authorizeRequest cannot be null");
		String clientRegistrationId = authorizeRequest.getClientRegistrationId();
		if (!this.xrefClients.isXref(clientRegistrationId)) {
			Assert.notNull(this.delegate, () -> "Could not find ClientRegistration with id '" + clientRegistrationId
					+ "': the application has no OAuth 2 client registrations besides xref");
			return this.delegate.authorize(authorizeRequest);
		}
		// Also for a re-authorization of a given client: the store is the one source of
		// truth
		OAuth2AuthorizedClient authorizedClient = this.xrefClients.load(authorizeRequest.getPrincipal());
		if (authorizedClient == null) {
			throw new ClientAuthorizationRequiredException(clientRegistrationId);
		}
		return authorizedClient;
	}

}
