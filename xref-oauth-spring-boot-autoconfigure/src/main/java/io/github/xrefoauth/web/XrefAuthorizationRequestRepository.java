package io.github.xrefoauth.web;

import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Keeps Xref authorization requests between the redirect to Xref and the callback, keyed
 * by {@code state}. Implementations hold several pending requests per browser session
 * (one per tab), bound how many (dropping the oldest), expire them, and
 * {@link #removeAuthorizationRequest remove} each at most once, so that a state is single
 * use.
 *
 * @since 0.1.0
 */
public interface XrefAuthorizationRequestRepository extends AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

}
