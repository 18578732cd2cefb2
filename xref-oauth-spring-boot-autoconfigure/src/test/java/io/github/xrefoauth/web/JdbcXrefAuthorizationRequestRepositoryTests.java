package io.github.xrefoauth.web;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds of pending connects in the servlet JDBC repository, as configured on it;
 * {@code JdbcServerXrefAuthorizationRequestRepositoryTests} holds the WebFlux repository
 * to the same.
 */
class JdbcXrefAuthorizationRequestRepositoryTests {

	private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final JdbcXrefAuthorizationRequestRepository repository;

	JdbcXrefAuthorizationRequestRepositoryTests() {
		new ResourceDatabasePopulator(new ClassPathResource("io/github/xrefoauth/jdbc/schema-h2.sql"))
			.execute(this.dataSource);
		this.repository = new JdbcXrefAuthorizationRequestRepository(this.dataSource);
	}

	@Test
	void browserThatKeepsItsCookieKeepsOnlyItsNewestPendingConnectsUpToTheConfiguredBound() {
		this.repository.setMaxPendingPerBrowser(3);
		Cookie cookie = null;
		for (int i = 1; i <= 6; i++) {
			cookie = start("s" + i, "alice", cookie);
		}

		assertThat(pendingStates()).containsExactlyInAnyOrder("s4", "s5", "s6");
		assertThat(load("s6", "alice", cookie)).isNotNull();
		assertThat(load("s3", "alice", cookie)).isNull();
	}

	@Test
	void endUserWhoDropsTheCookieKeepsOnlyTheConfiguredNumberOverAllBrowsers() {
		this.repository.setMaxPendingPerEndUser(4);
		for (int i = 1; i <= 7; i++) {
			start("s" + i, "alice", null);
		}
		start("b1", "bob", null);

		assertThat(pendingStates()).containsExactlyInAnyOrder("s4", "s5", "s6", "s7", "b1");
	}

	private Cookie start(String state, String user, @Nullable Cookie cookie) {
		MockHttpServletRequest request = request(state, user, cookie);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.repository.saveAuthorizationRequest(authorizationRequest(state), request, response);
		return response.getCookie(JdbcXrefAuthorizationRequestRepository.DEFAULT_COOKIE_NAME);
	}

	private @Nullable OAuth2AuthorizationRequest load(String state, String user, Cookie cookie) {
		return this.repository.loadAuthorizationRequest(request(state, user, cookie));
	}

	private static MockHttpServletRequest request(String state, String user, @Nullable Cookie cookie) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/xref");
		request.setParameter("state", state);
		request.setUserPrincipal(UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()));
		if (cookie != null) {
			request.setCookies(cookie);
		}
		return request;
	}

	private List<String> pendingStates() {
		return JdbcClient.create(this.dataSource)
			.sql("SELECT state FROM xref_authorization_request")
			.query(String.class)
			.list();
	}

	private static OAuth2AuthorizationRequest authorizationRequest(String state) {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.xref.test/oauth/open-api/client-1")
			.clientId("client-1")
			.state(state)
			.build();
	}

}
