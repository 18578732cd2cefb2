package io.github.xrefoauth.security;

import java.time.Instant;
import java.util.Map;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An application with a Google login and Xref: Google's authorized clients stay per end
 * user as in stock Spring; Xref's are per account, shared by the tenant.
 */
@SpringBootTest(
		classes = { LoginTestApplication.class, XrefAuthorizedClientsBesideGoogleTests.Tenants.class,
				XrefAuthorizedClientsBesideGoogleTests.ClientController.class },
		properties = { "spring.security.oauth2.client.registration.google.client-id=google-client",
				"spring.security.oauth2.client.registration.google.client-secret=google-secret",
				"xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=http://localhost/integrations/xref",
				"xref.oauth.login-uri=https://login.xref.test" })
@AutoConfigureMockMvc
class XrefAuthorizedClientsBesideGoogleTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	ClientRegistrationRepository registrations;

	@Autowired
	OAuth2AuthorizedClientManager manager;

	@Autowired
	OAuth2AuthorizedClientService service;

	@Autowired
	OAuth2AuthorizedClientRepository repository;

	@Autowired
	XrefAccountStore store;

	@Test
	void googleClientsBelongToOneEndUserAsInStockSpring() {
		OAuth2AuthorizedClient google = new OAuth2AuthorizedClient(this.registrations.findByRegistrationId("google"),
				"alice", new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "google-token", Instant.now(),
						Instant.now().plusSeconds(3600)));

		this.repository.saveAuthorizedClient(google, endUser("alice"), new MockHttpServletRequest(),
				new MockHttpServletResponse());

		assertThat(authorize("google", "alice").getAccessToken().getTokenValue()).isEqualTo("google-token");
		OAuth2AuthorizedClient loaded = this.service.loadAuthorizedClient("google", "alice");
		assertThat(loaded.getPrincipalName()).isEqualTo("alice");
		assertThat(loaded.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.BEARER);
		assertThat(loaded.getAccessToken().getExpiresAt()).isEqualTo(google.getAccessToken().getExpiresAt());
		assertThat(this.service.<OAuth2AuthorizedClient>loadAuthorizedClient("google", "bob")).isNull();
		assertThatExceptionOfType(ClientAuthorizationRequiredException.class)
			.isThrownBy(() -> authorize("google", "bob"))
			.satisfies((ex) -> assertThat(ex.getClientRegistrationId()).isEqualTo("google"));
		this.service.removeAuthorizedClient("google", "alice");
		assertThat(this.service.<OAuth2AuthorizedClient>loadAuthorizedClient("google", "alice")).isNull();
	}

	@Test
	void xrefClientsBelongToTheAccountOfTheTenant() {
		this.store.save("acme", new XrefConnection("acct-acme", "xref-token", Instant.now(), "alice"));
		try {
			assertThat(authorize("xref", "bob").getAccessToken().getTokenValue()).isEqualTo("xref-token");
			assertThat(this.service.<OAuth2AuthorizedClient>loadAuthorizedClient("xref", "bob").getPrincipalName())
				.isEqualTo("acct-acme");
			assertThatExceptionOfType(ClientAuthorizationRequiredException.class)
				.isThrownBy(() -> authorize("xref", "carol"));
		}
		finally {
			this.store.deleteAccount("acct-acme");
		}
	}

	@Test
	void annotatedArgumentsResolveBothRegistrationsTheirOwnWay() throws Exception {
		this.store.save("acme", new XrefConnection("acct-acme", "xref-token", Instant.now(), "alice"));
		try {
			this.mvc.perform(get("/xref-account").with(user("bob")))
				.andExpect(status().isOk())
				.andExpect(content().string("acct-acme"));
			this.mvc.perform(get("/xref-account").with(user("carol")).accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/oauth2/authorization/xref"));
			String google = this.mvc.perform(get("/google-user").with(user("bob")).accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andReturn()
				.getResponse()
				.getRedirectedUrl();
			assertThat(google).startsWith("https://accounts.google.com/o/oauth2/v2/auth?");
		}
		finally {
			this.store.deleteAccount("acct-acme");
		}
	}

	@Test
	void oneBeanOfEachContractTypeAndXrefStaysOutOfTheRegistrations() {
		assertThat(this.context.getBeanNamesForType(OAuth2AuthorizedClientManager.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(OAuth2AuthorizedClientService.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(OAuth2AuthorizedClientRepository.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(ClientRegistrationRepository.class)).hasSize(1);
		assertThat(this.manager).isInstanceOf(XrefOAuth2AuthorizedClientManager.class);
		assertThat(this.registrations.findByRegistrationId("xref")).isNull();
	}

	private OAuth2AuthorizedClient authorize(String registrationId, String username) {
		return this.manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
			.principal(endUser(username))
			.attribute(HttpServletRequest.class.getName(), new MockHttpServletRequest())
			.attribute(HttpServletResponse.class.getName(), new MockHttpServletResponse())
			.build());
	}

	private static Authentication endUser(String username) {
		return UsernamePasswordAuthenticationToken.authenticated(username, null,
				AuthorityUtils.createAuthorityList("ROLE_USER"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Tenants {

		@Bean
		XrefTenantResolver tenantResolver() {
			Map<String, String> tenants = Map.of("alice", "acme", "bob", "acme", "carol", "globex");
			return (authentication) -> tenants.get(authentication.getName());
		}

	}

	@RestController
	static class ClientController {

		@GetMapping("/xref-account")
		String xref(@RegisteredOAuth2AuthorizedClient("xref") OAuth2AuthorizedClient client) {
			return client.getPrincipalName();
		}

		@GetMapping("/google-user")
		String google(@RegisteredOAuth2AuthorizedClient("google") OAuth2AuthorizedClient client) {
			return client.getPrincipalName();
		}

	}

}
