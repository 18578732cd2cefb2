package io.github.xrefoauth.client.internal;

import java.io.IOException;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefRequestAttributes;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * Adds {@code Authorization: Token <token>} of an Xref account to each request. The
 * account is the one named by {@link XrefRequestAttributes}, else the one linked to the
 * authenticated end user's tenant.
 * <p>
 * Tokens go only to the scheme, host and port of the Xref API: a request to any other
 * origin fails before it is sent.
 * <p>
 * A {@code 401} answer means Xref revoked the token: the account is forgotten, unless it
 * was re-connected with a newer token meanwhile; then the request, body and all, is sent
 * once more with the newer token (not for a connection pinned by
 * {@link XrefRequestAttributes#CONNECTION}). Each sending counts on its own against the
 * bound of the transport's request factory, one after the other. The last response is
 * returned unchanged.
 *
 * @since 0.1.0
 */
public final class XrefTokenInterceptor implements ClientHttpRequestInterceptor {

	private final XrefCallTokens tokens;

	private final XrefCallTokens.Caller caller;

	private final XrefApiOrigin origin;

	/**
	 * Creates an interceptor that reads tokens from the given store.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param apiUri the base URL of the Xref API, the only origin that gets tokens
	 */
	public XrefTokenInterceptor(XrefAccountStore accountStore, XrefTenantContext tenantContext, String apiUri) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.hasText(apiUri, "apiUri cannot be empty");
		this.tokens = new XrefCallTokens(accountStore);
		this.caller = XrefCallTokens.Caller.current(tenantContext);
		this.origin = new XrefApiOrigin(apiUri);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		if (!this.origin.matches(request.getURI())) {
			throw this.origin.refuse("xrefRestClient", request.getURI());
		}
		XrefConnection connection = this.tokens.choose(request.getAttributes(), this.caller);
		boolean resent = false;
		while (true) {
			request.getHeaders().set(HttpHeaders.AUTHORIZATION, XrefCallTokens.authorization(connection));
			ClientHttpResponse response = execution.execute(request, body);
			XrefConnection again = rejected(response, connection, resent, request);
			if (again == null) {
				return response;
			}
			response.close();
			connection = again;
			resent = true;
		}
	}

	/**
	 * The connection to send the request once more with, or {@code null} to return the
	 * response; closes the response if the store fails.
	 */
	private @Nullable XrefConnection rejected(ClientHttpResponse response, XrefConnection sent, boolean resent,
			HttpRequest request) throws IOException {
		try {
			if (!XrefCallTokens.isRejection(response.getStatusCode())) {
				return null;
			}
			return this.tokens.rejected(sent, resent, request.getAttributes(), this.caller);
		}
		catch (IOException | RuntimeException ex) {
			response.close();
			throw ex;
		}
	}

	/**
	 * Sets the publisher of {@code XrefRevokedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.tokens.setApplicationEventPublisher(eventPublisher);
	}

}
