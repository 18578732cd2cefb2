package io.github.xrefoauth.security;

import io.github.xrefoauth.web.XrefExcludingAuthorizationRequestResolver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An application that logs in with Google through Spring Boot's OAuth 2 client properties
 * keeps doing so unchanged, with Xref connects beside it.
 */
@SpringBootTest(classes = LoginTestApplication.class,
		properties = { "spring.security.oauth2.client.registration.google.client-id=google-client",
				"spring.security.oauth2.client.registration.google.client-secret=google-secret",
				"xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=http://localhost/integrations/xref",
				"xref.oauth.login-uri=https://login.xref.test" })
@AutoConfigureMockMvc
class XrefBesideOAuth2LoginTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ClientRegistrationRepository registrations;

	@Autowired
	OAuth2AuthorizationRequestResolver resolver;

	@Test
	void googleLoginRedirectIsSpringsOwn() throws Exception {
		String location = this.mvc.perform(get("/oauth2/authorization/google"))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();

		assertThat(location).startsWith("https://accounts.google.com/o/oauth2/v2/auth?");
		assertThat(UriComponentsBuilder.fromUriString(location).build().getQueryParams()).containsKeys("response_type",
				"client_id", "scope", "state", "redirect_uri", "nonce");
	}

	@Test
	void xrefConnectWorksBesideGoogle() throws Exception {
		String location = this.mvc.perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();

		assertThat(location).startsWith("https://login.xref.test/oauth/open-api/client-1?state=");
		assertThat(UriComponentsBuilder.fromUriString(location).build().getQueryParams()).containsOnlyKeys("state");
	}

	@Test
	void loginPageOffersGoogleButNotXref() throws Exception {
		String page = this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("/oauth2/authorization/google");
		assertThat(page.toLowerCase()).doesNotContain("xref");
	}

	@Test
	void applicationRegistrationsAreLeftAsTheyWere() {
		assertThat(this.registrations.findByRegistrationId("google")).isNotNull();
		assertThat(this.registrations.findByRegistrationId("xref")).isNull();
		assertThat(this.resolver).isInstanceOf(XrefExcludingAuthorizationRequestResolver.class);
	}

}
