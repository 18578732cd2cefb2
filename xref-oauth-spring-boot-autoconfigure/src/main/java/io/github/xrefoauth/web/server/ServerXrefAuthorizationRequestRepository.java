package io.github.xrefoauth.web.server;

import org.springframework.security.oauth2.client.web.server.ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Keeps Xref authorization requests of a WebFlux application between the redirect to Xref
 * and the callback, keyed by {@code state}: the reactive counterpart of
 * {@code XrefAuthorizationRequestRepository}. Implementations hold several pending
 * requests per browser (one per tab), bind each to the signed-in end user, expire them,
 * and {@link #removeAuthorizationRequest remove} each at most once, so that a state is
 * single use. They never block the subscribing thread.
 *
 * @since 0.1.0
 */
public interface ServerXrefAuthorizationRequestRepository
		extends ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> {

}
