package io.github.xrefoauth.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistration.ClientSettings;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Builds the Spring Security {@link ClientRegistration} of Xref. Its authorization URI
 * carries the client id in the path; PKCE is off because Xref does not know it.
 * <p>
 * Note that {@link ClientRegistration#toString()} prints the client secret: never log a
 * registration.
 *
 * @since 0.1.0
 */
public final class XrefClientRegistrations {

	/** The registration id of Xref. */
	public static final String REGISTRATION_ID = "xref";

	/** The name of the registration's bean, which {@code XrefConfigurer} looks up. */
	public static final String BEAN_NAME = "xrefClientRegistration";

	/** The path that starts a connect. */
	public static final String AUTHORIZATION_PATH = "/oauth2/authorization/" + REGISTRATION_ID;

	private XrefClientRegistrations() {
	}

	/**
	 * Creates the Xref registration.
	 * @param clientId the client id Xref issued
	 * @param clientSecret the client secret Xref issued
	 * @param redirectUri the absolute redirect URL registered with Xref
	 * @param loginUri the base of Xref's authorize page, e.g.
	 * {@code https://login.xref.com}
	 * @param apiUri the base of Xref's API, e.g. {@code https://api-open.xref.com}
	 * @return the registration
	 */
	public static ClientRegistration create(String clientId, String clientSecret, String redirectUri, String loginUri,
			String apiUri) {
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.hasText(clientSecret, "clientSecret cannot be empty");
		return ClientRegistration.withRegistrationId(REGISTRATION_ID)
			.clientName("Xref")
			.clientId(clientId)
			.clientSecret(clientSecret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.clientSettings(ClientSettings.builder().requireProofKey(false).build())
			.redirectUri(redirectUri)
			.authorizationUri(endpoint(loginUri,
					"/oauth/open-api/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20")))
			.tokenUri(endpoint(apiUri, "/oauth/tokens"))
			.build();
	}

	/**
	 * Returns the URL of an Xref endpoint.
	 * @param baseUrl a base URL such as {@code https://api-open.xref.com}, with or
	 * without a path, without query
	 * @param path the endpoint's path, starting with {@code /}
	 * @return the base URL, without trailing {@code /}, followed by the path
	 */
	public static String endpoint(String baseUrl, String path) {
		return StringUtils.trimTrailingCharacter(baseUrl, '/') + path;
	}

}
