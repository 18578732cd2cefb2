package io.github.xrefoauth.sample;

import java.util.Map;
import java.util.Optional;

/**
 * The demo's end users and the tenant each belongs to: alice and bob work for
 * {@code acme}, carol for {@code globex}. End users of one tenant share its Xref
 * connection. The demo's operator belongs to no tenant.
 */
final class SampleTenants {

	private static final Map<String, String> TENANT_BY_USER = Map.of("alice", "acme", "bob", "acme", "carol", "globex");

	private SampleTenants() {
	}

	/**
	 * Returns the names of the demo's end users.
	 * @return the user names
	 */
	static Iterable<String> users() {
		return TENANT_BY_USER.keySet();
	}

	/**
	 * Returns the tenant of an end user.
	 * @param username the end user's name
	 * @return the tenant key, or empty for an unknown user
	 */
	static Optional<String> tenantOf(String username) {
		return Optional.ofNullable(TENANT_BY_USER.get(username));
	}

}
