package io.github.xrefoauth.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Client;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring Security's authorized-client contract for Xref in an app with only the starter:
 * {@code @RegisteredOAuth2AuthorizedClient("xref")}, and the manager, service and
 * repository from the context, all read the tenant's connection from the account store.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefAuthorizedClientFlowTests.ClientController.class })
@AutoConfigureMockMvc
class XrefAuthorizedClientFlowTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	static final Instant CONNECTED_AT = Instant.parse("2026-03-01T08:00:00Z");

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	XrefAccountStore store;

	@Autowired
	XrefConnectManager connectCompletion;

	@Autowired
	XrefAuthorizedClients xrefClients;

	@Autowired
	OAuth2AuthorizedClientManager manager;

	@Autowired
	OAuth2AuthorizedClientService service;

	@Autowired
	OAuth2AuthorizedClientRepository repository;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void connectAtAKnownTime() {
		xref.clearRequests();
		this.connectCompletion.setClock(Clock.fixed(CONNECTED_AT, ZoneOffset.UTC));
		this.xrefClients.setClock(Clock.fixed(CONNECTED_AT, ZoneOffset.UTC));
	}

	@AfterEach
	void forgetConnections() {
		this.connectCompletion.setClock(Clock.systemUTC());
		this.xrefClients.setClock(Clock.systemUTC());
		for (String tenant : List.of("acme", "globex")) {
			this.store.findByTenant(tenant)
				.ifPresent((connection) -> this.store.deleteAccount(connection.xrefAccountId()));
		}
	}

	@Test
	void controllerGetsTheTenantsConnectionAndCarolIsSentToConnect() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		String expected = "xref acct-acme Token " + token + " issued " + CONNECTED_AT + " expires null";

		this.mvc.perform(get("/xref-client").with(user("alice")))
			.andExpect(status().isOk())
			.andExpect(content().string(expected));
		this.mvc.perform(get("/xref-client").with(user("bob")))
			.andExpect(status().isOk())
			.andExpect(content().string(expected));
		this.mvc.perform(get("/xref-client").with(user("carol")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/oauth2/authorization/xref"));
		this.mvc.perform(get("/xref-client").with(user("carol")).accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isConflict())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void hoursLaterTheConnectionIsNeitherExpiredNorRefreshed() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		Clock sixHoursLater = Clock.fixed(CONNECTED_AT.plus(Duration.ofHours(6)), ZoneOffset.UTC);

		OAuth2AuthorizedClient client = authorize("bob");

		assertThat(client.getAccessToken().getIssuedAt()).isEqualTo(CONNECTED_AT);
		assertThat(client.getAccessToken().getExpiresAt()).isNull();
		assertThat(client.getRefreshToken()).isNull();
		OAuth2AuthorizedClientProvider springProviders = OAuth2AuthorizedClientProviderBuilder.builder()
			.authorizationCode()
			.refreshToken((refresh) -> refresh.clock(sixHoursLater))
			.clientCredentials((credentials) -> credentials.clock(sixHoursLater))
			.build();
		OAuth2AuthorizationContext reauthorization = OAuth2AuthorizationContext.withAuthorizedClient(client)
			.principal(endUser("bob"))
			.build();
		assertThat(springProviders.authorize(reauthorization)).as("Spring re-authorizes only an expired client")
			.isNull();
		assertThat(xref.requests("/oauth/tokens")).hasSize(1);
		this.mvc.perform(get("/xref-client").with(user("bob"))).andExpect(status().isOk());
	}

	@Test
	void managerServiceAndRepositoryAnswerFromTheOneStore() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();

		OAuth2AuthorizedClient fromService = this.service.loadAuthorizedClient("xref", "bob");
		OAuth2AuthorizedClient fromRepository = this.repository.loadAuthorizedClient("xref", endUser("bob"),
				new MockHttpServletRequest());

		assertThat(List.of(authorize("bob"), fromService, fromRepository)).allSatisfy((client) -> {
			assertThat(client.getClientRegistration().getRegistrationId()).isEqualTo("xref");
			assertThat(client.getPrincipalName()).isEqualTo("acct-acme");
			assertThat(client.getAccessToken().getTokenValue()).isEqualTo(token);
		});
		assertThat(this.service.<OAuth2AuthorizedClient>loadAuthorizedClient("xref", "carol")).isNull();
		assertThatExceptionOfType(ClientAuthorizationRequiredException.class).isThrownBy(() -> authorize("carol"))
			.satisfies((ex) -> assertThat(ex.getClientRegistrationId()).isEqualTo("xref"));
	}

	@Test
	void savingThroughTheContractConnectsTheWholeTenant() throws Exception {
		OAuth2AuthorizedClient client = new OAuth2AuthorizedClient(
				this.context.getBean("xrefClientRegistration", ClientRegistration.class), "acct-acme",
				new OAuth2AccessToken(XrefAuthorizedClients.TOKEN, "token-saved-by-the-app", CONNECTED_AT, null));

		this.repository.saveAuthorizedClient(client, endUser("alice"), new MockHttpServletRequest(),
				new MockHttpServletResponse());

		assertThat(this.store.findByTenant("acme")).hasValueSatisfying((connection) -> {
			assertThat(connection.xrefAccountId()).isEqualTo("acct-acme");
			assertThat(connection.accessToken()).isEqualTo("token-saved-by-the-app");
			assertThat(connection.connectedBy()).isEqualTo("alice");
		});
		assertThat(authorize("bob").getAccessToken().getTokenValue()).isEqualTo("token-saved-by-the-app");
		assertThat(this.store.findByTenant("globex")).isEmpty();
	}

	@Test
	void removingThroughTheContractForgetsTheAccountForTheWholeTenantWithoutCallingXref() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");

		this.service.removeAuthorizedClient("xref", "bob");

		assertThat(this.store.findByTenant("acme")).isEmpty();
		assertThat(this.store.findByAccount("acct-acme")).isEmpty();
		assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
		this.mvc.perform(get("/xref-client").with(user("alice")).accept(MediaType.TEXT_HTML))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/oauth2/authorization/xref"));
	}

	@Test
	void springSecurityTestSupportStandsInForAConnection() throws Exception {
		OAuth2AccessToken token = new OAuth2AccessToken(XrefAuthorizedClients.TOKEN, "test-token", null, null);

		this.mvc
			.perform(get("/xref-client").with(user("carol"))
				.with(oauth2Client("xref").principalName("acct-test").accessToken(token)))
			.andExpect(status().isOk())
			.andExpect(content().string("xref acct-test Token test-token issued null expires null"));
		assertThat(this.store.findByTenant("globex")).isEmpty();
	}

	@Test
	void bootKeepsTheFormLoginAndGetsNoClientRegistrationRepository() {
		assertThat(this.context.getBeanNamesForType(ClientRegistrationRepository.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(OAuth2AuthorizedClientManager.class)).hasSize(1);
		FilterChainProxy filterChainProxy = this.context.getBean(FilterChainProxy.class);
		assertThat(filterChainProxy.getFilterChains()).singleElement()
			.satisfies((chain) -> assertThat(chain.getFilters())
				.hasAtLeastOneElementOfType(UsernamePasswordAuthenticationFilter.class)
				.doesNotHaveAnyElementsOfTypes(OAuth2LoginAuthenticationFilter.class));
	}

	private OAuth2AuthorizedClient authorize(String username) {
		return this.manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("xref")
			.principal(endUser(username))
			.attribute(HttpServletRequest.class.getName(), new MockHttpServletRequest())
			.attribute(HttpServletResponse.class.getName(), new MockHttpServletResponse())
			.build());
	}

	private static Authentication endUser(String username) {
		return UsernamePasswordAuthenticationToken.authenticated(username, null,
				AuthorityUtils.createAuthorityList("ROLE_USER"));
	}

	@RestController
	static class ClientController {

		@GetMapping("/xref-client")
		String client(@RegisteredOAuth2AuthorizedClient("xref") OAuth2AuthorizedClient client) {
			return client.getClientRegistration().getRegistrationId() + " " + client.getPrincipalName() + " "
					+ client.getAccessToken().getTokenType().getValue() + " " + client.getAccessToken().getTokenValue()
					+ " issued " + client.getAccessToken().getIssuedAt() + " expires "
					+ client.getAccessToken().getExpiresAt();
		}

	}

}
