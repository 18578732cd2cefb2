package io.github.xrefoauth.account;

import java.util.Optional;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The authenticated end user of the current request and their tenant key.
 *
 * @since 0.1.0
 */
public final class XrefTenantContext {

	private final XrefTenantResolver tenantResolver;

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	/**
	 * Creates a context that maps end users with the given resolver.
	 * @param tenantResolver maps an end user to a tenant key
	 */
	public XrefTenantContext(XrefTenantResolver tenantResolver) {
		Assert.notNull(tenantResolver, "tenantResolver cannot be null");
		this.tenantResolver = tenantResolver;
	}

	/**
	 * Returns the authenticated (not anonymous) end user, if any.
	 * @return the end user
	 */
	public Optional<Authentication> currentUser() {
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		return Optional.ofNullable(authentication).filter(this.trustResolver::isAuthenticated);
	}

	/**
	 * Returns the tenant key of an end user.
	 * @param authentication the end user
	 * @return the tenant key
	 * @throws IllegalStateException if the resolver returned an empty key
	 */
	public String tenantOf(Authentication authentication) {
		String tenantKey = this.tenantResolver.resolveTenant(authentication);
		Assert.state(StringUtils.hasText(tenantKey), "XrefTenantResolver returned an empty tenant key");
		return tenantKey;
	}

	/**
	 * Returns the tenant key of the authenticated end user, if any.
	 * @return the tenant key, or empty without an end user or when the resolver gives the
	 * end user no tenant key
	 */
	public Optional<String> currentTenant() {
		return currentUser().map(this.tenantResolver::resolveTenant).filter(StringUtils::hasText);
	}

	/**
	 * Returns the tenant key of an end user, if they are authenticated and have one.
	 * @param authentication the end user
	 * @return the tenant key, or empty for an anonymous end user or when the resolver
	 * gives the end user no tenant key
	 */
	public Optional<String> findTenant(Authentication authentication) {
		return Optional.of(authentication)
			.filter(this.trustResolver::isAuthenticated)
			.map(this.tenantResolver::resolveTenant)
			.filter(StringUtils::hasText);
	}

	/**
	 * Sets the strategy that holds the security context.
	 * @param securityContextHolderStrategy the strategy to use
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

}
