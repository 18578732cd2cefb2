package io.github.xrefoauth.web;

import java.util.Set;

import io.github.xrefoauth.connect.XrefClientRegistrations;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Resolves {@code GET /oauth2/authorization/xref} to Xref's authorize URL
 * {@code {login-uri}/oauth/open-api/{client_id}?state=...}: Spring Security's default
 * resolver, with every query parameter but {@code state} removed. Other paths resolve to
 * {@code null}.
 */
final class XrefAuthorizationRequestResolver implements OAuth2AuthorizationRequestResolver {

	private static final Set<String> XREF_PARAMETERS = Set.of(OAuth2ParameterNames.STATE);

	private final RequestMatcher requestMatcher = PathPatternRequestMatcher.withDefaults()
		.matcher(XrefClientRegistrations.AUTHORIZATION_PATH);

	private final DefaultOAuth2AuthorizationRequestResolver delegate;

	/**
	 * Creates a resolver for the given Xref registration.
	 * @param registration the Xref registration
	 */
	public XrefAuthorizationRequestResolver(ClientRegistration registration) {
		Assert.notNull(registration, "registration cannot be null");
		Assert.isTrue(XrefClientRegistrations.REGISTRATION_ID.equals(registration.getRegistrationId()),
				"registration must be the Xref registration");
		this.delegate = new DefaultOAuth2AuthorizationRequestResolver(
				new InMemoryClientRegistrationRepository(registration),
				DefaultOAuth2AuthorizationRequestResolver.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
		this.delegate.setAuthorizationRequestCustomizer(
				(builder) -> builder.parameters((parameters) -> parameters.keySet().retainAll(XREF_PARAMETERS)));
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
		return this.requestMatcher.matches(request) ? this.delegate.resolve(request) : null;
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
		return XrefClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId)
				? this.delegate.resolve(request, clientRegistrationId) : null;
	}

}
