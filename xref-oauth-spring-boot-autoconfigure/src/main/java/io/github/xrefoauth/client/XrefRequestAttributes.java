package io.github.xrefoauth.client;

import java.util.Map;
import java.util.function.Consumer;

import io.github.xrefoauth.account.XrefConnection;

import org.springframework.util.Assert;

/**
 * Names the Xref account of one {@code xrefRestClient} call explicitly, for work outside
 * an end user's request such as a scheduled job:
 *
 * <pre class="code">
 * xrefRestClient.post().uri("/auth").attributes(XrefRequestAttributes.account("d1e0...")).retrieve()...
 * </pre>
 *
 * Without any of these attributes the call acts for the tenant of the authenticated end
 * user.
 *
 * @since 0.1.0
 */
public final class XrefRequestAttributes {

	/** Request attribute holding an Xref account id. */
	public static final String ACCOUNT = XrefRequestAttributes.class.getName() + ".ACCOUNT";

	/** Request attribute holding a tenant key. */
	public static final String TENANT = XrefRequestAttributes.class.getName() + ".TENANT";

	/** Request attribute holding the {@code XrefConnection} whose token is sent. */
	public static final String CONNECTION = XrefRequestAttributes.class.getName() + ".CONNECTION";

	private XrefRequestAttributes() {
	}

	/**
	 * Acts for the given Xref account.
	 * @param xrefAccountId the Xref account
	 * @return a consumer for {@code RestClient.RequestHeadersSpec#attributes}
	 */
	public static Consumer<Map<String, Object>> account(String xrefAccountId) {
		Assert.hasText(xrefAccountId, "xrefAccountId cannot be empty");
		return (attributes) -> attributes.put(ACCOUNT, xrefAccountId);
	}

	/**
	 * Acts for the account the given tenant is linked to.
	 * @param tenantKey the tenant
	 * @return a consumer for {@code RestClient.RequestHeadersSpec#attributes}
	 */
	public static Consumer<Map<String, Object>> tenant(String tenantKey) {
		Assert.hasText(tenantKey, "tenantKey cannot be empty");
		return (attributes) -> attributes.put(TENANT, tenantKey);
	}

	/**
	 * Sends exactly the token of the given connection, read beforehand: the store is not
	 * asked again, so the call carries the token that the caller judges, even if the
	 * account was connected anew meanwhile. A {@code 401} answer forgets this token only,
	 * and the call is not sent again with a newer token, as other calls are. Takes
	 * precedence over {@link #ACCOUNT} and {@link #TENANT}; the {@code XrefRevokedEvent}
	 * of a {@code 401} names the tenant set with {@link #TENANT}, else the authenticated
	 * end user's, else one linked to the account, and lists every tenant linked to it.
	 * @param connection the connection whose token the call carries
	 * @return a consumer for {@code RestClient.RequestHeadersSpec#attributes}
	 */
	public static Consumer<Map<String, Object>> connection(XrefConnection connection) {
		Assert.notNull(connection, "connection cannot be null");
		return (attributes) -> attributes.put(CONNECTION, connection);
	}

}
