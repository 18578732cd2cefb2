package io.github.xrefoauth.web.server;

import java.util.Set;

import io.github.xrefoauth.connect.XrefClientRegistrations;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves {@code GET /oauth2/authorization/xref} of a WebFlux application to Xref's
 * authorize URL {@code {login-uri}/oauth/open-api/{client_id}?state=...}: Spring
 * Security's default reactive resolver, with every query parameter but {@code state}
 * removed. Other paths resolve to empty, so the application's own registrations keep
 * their resolver.
 *
 * @since 0.1.0
 */
public final class ServerXrefAuthorizationRequestResolver implements ServerOAuth2AuthorizationRequestResolver {

	private static final Set<String> XREF_PARAMETERS = Set.of(OAuth2ParameterNames.STATE);

	private final ServerWebExchangeMatcher requestMatcher = new PathPatternParserServerWebExchangeMatcher(
			XrefClientRegistrations.AUTHORIZATION_PATH);

	private final DefaultServerOAuth2AuthorizationRequestResolver delegate;

	/**
	 * Creates a resolver for the given Xref registration.
	 * @param registration the Xref registration
	 */
	public ServerXrefAuthorizationRequestResolver(ClientRegistration registration) {
		Assert.notNull(registration, "registration cannot be null");
		Assert.isTrue(XrefClientRegistrations.REGISTRATION_ID.equals(registration.getRegistrationId()),
				"registration must be the Xref registration");
		this.delegate = new DefaultServerOAuth2AuthorizationRequestResolver(
				new InMemoryReactiveClientRegistrationRepository(registration));
		this.delegate.setAuthorizationRequestCustomizer(
				(builder) -> builder.parameters((parameters) -> parameters.keySet().retainAll(XREF_PARAMETERS)));
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
		return this.requestMatcher.matches(exchange)
			.filter(ServerWebExchangeMatcher.MatchResult::isMatch)
			.flatMap((match) -> this.delegate.resolve(exchange, XrefClientRegistrations.REGISTRATION_ID));
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String clientRegistrationId) {
		return XrefClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId)
				? this.delegate.resolve(exchange, clientRegistrationId) : Mono.empty();
	}

}
