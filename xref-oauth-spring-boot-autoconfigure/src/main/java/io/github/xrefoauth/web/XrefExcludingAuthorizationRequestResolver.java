package io.github.xrefoauth.web;

import io.github.xrefoauth.connect.XrefClientRegistrations;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Resolves the application's own registrations (say a Google login) with a delegate and
 * leaves {@code /oauth2/authorization/xref} to the Xref filter. Without it,
 * {@code oauth2Login()} answers that path with an error, because its redirect filter runs
 * first and does not know the Xref registration.
 *
 * @since 0.1.0
 */
public final class XrefExcludingAuthorizationRequestResolver implements OAuth2AuthorizationRequestResolver {

	private final RequestMatcher xrefMatcher = PathPatternRequestMatcher.withDefaults()
		.matcher(XrefClientRegistrations.AUTHORIZATION_PATH);

	private final OAuth2AuthorizationRequestResolver delegate;

	/**
	 * Creates a resolver.
	 * @param delegate the resolver for the application's own registrations
	 */
	public XrefExcludingAuthorizationRequestResolver(OAuth2AuthorizationRequestResolver delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
		return this.xrefMatcher.matches(request) ? null : this.delegate.resolve(request);
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
		return XrefClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId) ? null
				: this.delegate.resolve(request, clientRegistrationId);
	}

}
