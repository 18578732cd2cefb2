package io.github.xrefoauth.authorize;

import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;

/**
 * Spring Security's redirect filter, set up for Xref: it answers
 * {@code GET /oauth2/authorization/xref} with a redirect to Xref's authorize URL and
 * keeps the pending request in an {@link XrefAuthorizationRequestRepository}.
 * <p>
 * A class of its own, so that placing it in a filter chain does not move the redirect
 * filter of {@code oauth2Login()}.
 */
public final class XrefAuthorizationRequestRedirectFilter extends OAuth2AuthorizationRequestRedirectFilter {

	/**
	 * Creates a filter.
	 * @param resolver resolves the Xref authorization request
	 * @param repository keeps the pending request until the callback
	 */
	public XrefAuthorizationRequestRedirectFilter(XrefAuthorizationRequestResolver resolver,
			XrefAuthorizationRequestRepository repository) {
		super(resolver);
		setAuthorizationRequestRepository(repository);
	}

}
