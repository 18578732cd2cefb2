package io.github.xrefoauth.authorizedclient;

import java.time.Clock;
import java.util.Optional;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Reads and writes the Xref connection of an end user's tenant as an
 * {@link OAuth2AuthorizedClient}, in the {@link XrefAccountStore}, the one place where
 * connections live.
 * <p>
 * An Xref authorized client has the {@code xref} registration, the Xref account id as its
 * principal name and the account's token as its access token, of type {@link #TOKEN} and
 * without expiry ({@code expiresAt} is {@code null}): Xref tokens are valid until they
 * are revoked.
 *
 * @since 0.1.0
 */
public final class XrefAuthorizedClients {

	/** The type of Xref tokens: API calls send {@code Authorization: Token ...}. */
	public static final OAuth2AccessToken.TokenType TOKEN = new OAuth2AccessToken.TokenType("Token");

	private final ClientRegistration registration;

	private final XrefAccountStore accountStore;

	private final XrefTenantContext tenantContext;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates the authorized clients of Xref.
	 * @param registration the {@code xref} registration
	 * @param accountStore the connected accounts
	 * @param tenantContext maps end users to tenants
	 */
	public XrefAuthorizedClients(ClientRegistration registration, XrefAccountStore accountStore,
			XrefTenantContext tenantContext) {
		Assert.notNull(registration, "registration cannot be null");
		Assert.isTrue(XrefClientRegistrations.REGISTRATION_ID.equals(registration.getRegistrationId()),
				"registration must be the xref registration");
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.registration = registration;
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
	}

	/**
	 * Returns whether a registration id is the one of Xref.
	 * @param clientRegistrationId the registration id
	 * @return whether it is {@code xref}
	 */
	public boolean isXref(String clientRegistrationId) {
		return XrefClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId);
	}

	/**
	 * Returns the connection of an end user's tenant.
	 * @param principal the end user
	 * @return the authorized client, or {@code null} for an anonymous end user, an end
	 * user without tenant, or a tenant without connection
	 */
	public @Nullable OAuth2AuthorizedClient load(@Nullable Authentication principal) {
		return tenantOf(principal).flatMap(this.accountStore::findByTenant).map(this::toAuthorizedClient).orElse(null);
	}

	/**
	 * Connects the account named by the client's principal name to the end user's tenant,
	 * as a connect does: every end user of the tenant then shares it, and an earlier
	 * token of the account is replaced.
	 * @param authorizedClient an {@code xref} client whose principal name is the Xref
	 * account id
	 * @param principal the end user who connects it
	 * @throws IllegalArgumentException if the client is not for {@code xref}, has no
	 * account id, or the end user is anonymous or has no tenant
	 */
	public void save(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		Assert.notNull(authorizedClient, "authorizedClient cannot be null");
		Assert.notNull(principal, "principal cannot be null");
		Assert.isTrue(isXref(authorizedClient.getClientRegistration().getRegistrationId()),
				"authorizedClient must be for the xref registration");
		Assert.isTrue(StringUtils.hasText(authorizedClient.getPrincipalName()),
				"the principal name of an xref client must be the Xref account id");
		String tenantKey = this.tenantContext.findTenant(principal)
			.orElseThrow(() -> new IllegalArgumentException(
					"An Xref connection is saved for the tenant of an authenticated end user, and this one has none"));
		this.accountStore.save(tenantKey, new XrefConnection(authorizedClient.getPrincipalName(),
				authorizedClient.getAccessToken().getTokenValue(), this.clock.instant(), principal.getName()));
	}

	/**
	 * Forgets the connection of an end user's tenant locally, as a disconnect does after
	 * Xref revoked the token: the account is gone for every tenant linked to it. The
	 * token stays valid at Xref; {@code XrefConnectionService#disconnect()} revokes it.
	 * @param principal the end user
	 */
	public void remove(@Nullable Authentication principal) {
		tenantOf(principal).flatMap(this.accountStore::findByTenant)
			.ifPresent((connection) -> this.accountStore.deleteByAccessToken(connection.accessToken()));
	}

	/**
	 * Returns the end user of a principal name: the authenticated end user when the name
	 * is theirs, else an authenticated end user who has only that name (the
	 * {@code XrefTenantResolver} then sees no authorities or details).
	 * @param principalName the end user's name
	 * @return the end user
	 */
	public Authentication principalNamed(String principalName) {
		Assert.hasText(principalName, "principalName cannot be empty");
		return this.tenantContext.currentUser()
			.filter((user) -> principalName.equals(user.getName()))
			.orElseGet(() -> UsernamePasswordAuthenticationToken.authenticated(principalName, null,
					AuthorityUtils.NO_AUTHORITIES));
	}

	/**
	 * Sets the clock that dates connections saved through this contract.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	private Optional<String> tenantOf(@Nullable Authentication principal) {
		return Optional.ofNullable(principal).flatMap(this.tenantContext::findTenant);
	}

	private OAuth2AuthorizedClient toAuthorizedClient(XrefConnection connection) {
		OAuth2AccessToken accessToken = new OAuth2AccessToken(TOKEN, connection.accessToken(), connection.connectedAt(),
				null);
		return new OAuth2AuthorizedClient(this.registration, connection.xrefAccountId(), accessToken);
	}

}
