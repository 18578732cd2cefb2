package io.github.xrefoauth.connect;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link XrefClientRegistrations}.
 */
class XrefClientRegistrationsTests {

	@Test
	void endpointsFollowTheBaseUrlsWithOrWithoutTrailingSlash() {
		ClientRegistration registration = XrefClientRegistrations.create("client-1", "secret-1",
				"https://platform.example/integrations/xref", "https://login.xref.com/", "https://api.example/xref/");
		assertThat(registration.getProviderDetails().getAuthorizationUri())
			.isEqualTo("https://login.xref.com/oauth/open-api/client-1");
		assertThat(registration.getProviderDetails().getTokenUri()).isEqualTo("https://api.example/xref/oauth/tokens");
		assertThat(registration.getClientAuthenticationMethod())
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
		assertThat(registration.getClientSettings().isRequireProofKey()).isFalse();
	}

	@Test
	void clientIdIsOnePathSegmentOfTheAuthorizeUrl() {
		ClientRegistration registration = XrefClientRegistrations.create("a b/c?d", "secret-1",
				"https://platform.example/integrations/xref", "https://login.xref.com", "https://api-open.xref.com");
		assertThat(registration.getProviderDetails().getAuthorizationUri())
			.isEqualTo("https://login.xref.com/oauth/open-api/a%20b%2Fc%3Fd");
	}

	@Test
	void endpointAppendsThePath() {
		assertThat(XrefClientRegistrations.endpoint("https://api-open.xref.com", "/oauth/deauthorize"))
			.isEqualTo("https://api-open.xref.com/oauth/deauthorize");
	}

}
