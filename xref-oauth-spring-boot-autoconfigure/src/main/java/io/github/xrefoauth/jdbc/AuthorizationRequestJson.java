package io.github.xrefoauth.jdbc;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Writes the fields of an {@link OAuth2AuthorizationRequest} as JSON and reads them back.
 * Only authorization code requests are supported, which is all that Xref knows.
 */
final class AuthorizationRequestJson {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	String write(OAuth2AuthorizationRequest request) {
		return this.jsonMapper.writeValueAsString(new Fields(request.getAuthorizationUri(), request.getClientId(),
				request.getRedirectUri(), request.getScopes(), request.getState(), request.getAdditionalParameters(),
				request.getAttributes(), request.getAuthorizationRequestUri()));
	}

	OAuth2AuthorizationRequest read(String json) {
		Fields fields = this.jsonMapper.readValue(json, Fields.class);
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(fields.authorizationUri())
			.clientId(fields.clientId())
			.redirectUri(fields.redirectUri())
			.scopes(fields.scopes())
			.state(fields.state())
			.additionalParameters(fields.additionalParameters())
			.attributes(fields.attributes())
			.authorizationRequestUri(fields.authorizationRequestUri())
			.build();
	}

	record Fields(String authorizationUri, String clientId, @Nullable String redirectUri, Set<String> scopes,
			String state, Map<String, Object> additionalParameters, Map<String, Object> attributes,
			String authorizationRequestUri) {

	}

}
