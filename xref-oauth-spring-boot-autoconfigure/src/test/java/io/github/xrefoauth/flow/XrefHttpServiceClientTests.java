package io.github.xrefoauth.flow;

import java.io.IOException;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.support.OAuth2RestClientHttpServiceGroupConfigurer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An {@code @HttpExchange} interface in the HTTP service group {@code xref} calls Xref as
 * {@code xrefRestClient} does, with nothing but the import: neither a default header, nor
 * an application-wide interceptor, nor Spring Security's OAuth 2 group configurer gets
 * another {@code Authorization} header to Xref. Another group is untouched.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefHttpServiceClientTests.Clients.class })
@AutoConfigureMockMvc
class XrefHttpServiceClientTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	static final MockWebServer other = new MockWebServer();

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefApi xrefApi;

	@Autowired
	OtherApi otherApi;

	@Autowired
	XrefAccountStore store;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		XrefFlowSupport.register(registry);
		other.start();
		registry.add("spring.http.serviceclient.other.base-url", () -> other.url("/other").toString());
		registry.add("spring.http.serviceclient.xref.default-header.Authorization", () -> "Bearer from-a-property");
	}

	@AfterAll
	static void stopOther() {
		other.close();
	}

	@BeforeEach
	void clearRequests() {
		xref.clearRequests();
	}

	@AfterEach
	void signOutAndForget() {
		SecurityContextHolder.clearContext();
		this.store.findByTenant("acme").ifPresent((connection) -> this.store.deleteAccount(connection.xrefAccountId()));
	}

	@Test
	void xrefGroupSendsTheTenantsTokenAndNothingElseToTheXrefApi() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();
		signIn("bob");

		this.xrefApi.auth();

		List<RecordedRequest> requests = xref.requests("/auth");
		assertThat(requests).singleElement().satisfies((request) -> {
			assertThat(request.getHeaders().values("Authorization")).containsExactly("Token " + token);
			assertThat(request.getMethod()).isEqualTo("POST");
		});
	}

	@Test
	void xrefGroupSendsNothingForATenantWithoutConnection() {
		signIn("carol");

		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(this.xrefApi::auth);

		assertThat(xref.requests("/auth")).isEmpty();
	}

	@Test
	void otherGroupsKeepTheirOwnBaseUrlAndCustomizersAndGetNoXrefToken() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		signIn("alice");
		other.enqueue(new MockResponse.Builder().body("pong").build());

		assertThat(this.otherApi.ping()).isEqualTo("pong");

		RecordedRequest request = other.takeRequest();
		assertThat(request.getUrl().encodedPath()).isEqualTo("/other/ping");
		assertThat(request.getHeaders().values("Authorization")).containsExactly("Bearer from-a-customizer");
	}

	private static void signIn(String username) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

	interface XrefApi {

		@PostExchange("/auth")
		String auth();

	}

	interface OtherApi {

		@GetExchange("/ping")
		String ping();

	}

	@TestConfiguration(proxyBeanMethods = false)
	@ImportHttpServices(group = "xref", types = XrefApi.class)
	@ImportHttpServices(group = "other", types = OtherApi.class)
	static class Clients {

		/** An interceptor that every RestClient of the application gets. */
		@Bean
		RestClientCustomizer bearerEverywhere() {
			return (builder) -> builder.requestInterceptor((request, body, execution) -> {
				request.getHeaders().setBearerAuth("from-a-customizer");
				return execution.execute(request, body);
			});
		}

		@Bean
		OAuth2RestClientHttpServiceGroupConfigurer oauth2HttpServiceGroupConfigurer(
				OAuth2AuthorizedClientManager authorizedClientManager) {
			return OAuth2RestClientHttpServiceGroupConfigurer.from(authorizedClientManager);
		}

	}

}
