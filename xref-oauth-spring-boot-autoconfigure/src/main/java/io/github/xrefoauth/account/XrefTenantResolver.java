package io.github.xrefoauth.account;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * Maps an authenticated end user to the platform's tenant key. End users with the same
 * tenant key share one Xref connection.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface XrefTenantResolver {

	/**
	 * Returns the tenant key of an end user.
	 * @param authentication the authenticated end user
	 * @return the tenant key, or {@code null} (or empty) if the end user belongs to no
	 * tenant: such an end user can neither connect nor call Xref
	 */
	@Nullable String resolveTenant(Authentication authentication);

	/**
	 * The default: each end user is a tenant of their own, keyed by the principal name.
	 * @return a resolver that returns {@link Authentication#getName()}
	 */
	static XrefTenantResolver principalName() {
		return Authentication::getName;
	}

}
