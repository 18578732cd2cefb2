package io.github.xrefoauth.account;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The authenticated end user of the current reactive request, read from
 * {@link ReactiveSecurityContextHolder}, and their tenant key. The
 * {@link XrefTenantResolver} runs on the subscribing thread: in a WebFlux application it
 * must not block.
 *
 * @since 0.1.0
 */
public final class ReactiveXrefTenantContext {

	private final XrefTenantResolver tenantResolver;

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	/**
	 * Creates a context that maps end users with the given resolver.
	 * @param tenantResolver maps an end user to a tenant key
	 */
	public ReactiveXrefTenantContext(XrefTenantResolver tenantResolver) {
		Assert.notNull(tenantResolver, "tenantResolver cannot be null");
		this.tenantResolver = tenantResolver;
	}

	/**
	 * Returns the authenticated (not anonymous) end user, if any.
	 * @return the end user, or empty
	 */
	public Mono<Authentication> currentUser() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter(this.trustResolver::isAuthenticated);
	}

	/**
	 * Returns the tenant key of an end user.
	 * @param authentication the end user
	 * @return the tenant key, or empty when the resolver gives the end user none
	 */
	public Mono<String> tenantOf(Authentication authentication) {
		return Mono.fromSupplier(() -> this.tenantResolver.resolveTenant(authentication)).filter(StringUtils::hasText);
	}

	/**
	 * Returns the tenant key of the authenticated end user, if any.
	 * @return the tenant key, or empty without an end user or without a tenant key
	 */
	public Mono<String> currentTenant() {
		return currentUser().flatMap(this::tenantOf);
	}

}
