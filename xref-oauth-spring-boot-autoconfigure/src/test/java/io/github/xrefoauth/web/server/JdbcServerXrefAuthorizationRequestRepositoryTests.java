package io.github.xrefoauth.web.server;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds of pending connects in the WebFlux JDBC repository, configured on it as on
 * the servlet one ({@code JdbcXrefAuthorizationRequestRepositoryTests}), and its cookie,
 * made by the rules of the servlet one ({@code JdbcConnectAcrossInstancesTests}).
 */
class JdbcServerXrefAuthorizationRequestRepositoryTests {

	private static final String COOKIE = "XREF_CONNECT";

	private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final JdbcServerXrefAuthorizationRequestRepository repository;

	JdbcServerXrefAuthorizationRequestRepositoryTests() {
		new ResourceDatabasePopulator(new ClassPathResource("io/github/xrefoauth/jdbc/schema-h2.sql"))
			.execute(this.dataSource);
		this.repository = new JdbcServerXrefAuthorizationRequestRepository(this.dataSource);
	}

	@Test
	void browserThatKeepsItsCookieKeepsOnlyItsNewestPendingConnectsUpToTheConfiguredBound() {
		this.repository.setMaxPendingPerBrowser(3);
		String cookie = null;
		for (int i = 1; i <= 6; i++) {
			cookie = start("s" + i, "alice", cookie);
		}

		assertThat(pendingStates()).containsExactlyInAnyOrder("s4", "s5", "s6");
		assertThat(this.repository.loadAuthorizationRequest(exchange("s6", "alice", cookie)).block()).isNotNull();
		assertThat(this.repository.loadAuthorizationRequest(exchange("s3", "alice", cookie)).block()).isNull();
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

	@Test
	void overHttpsTheCookieIsAHostCookieForTheWholeSite() {
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("https://platform.example/app/oauth2/authorization/xref")
				.contextPath("/app")
				.build())
			.principal(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()))
			.build();
		this.repository.saveAuthorizationRequest(authorizationRequest("s1"), exchange).block();

		assertThat(exchange.getResponse().getCookies().getFirst("__Host-" + COOKIE)).satisfies((cookie) -> {
			assertThat(cookie.isSecure()).isTrue();
			assertThat(cookie.getPath()).isEqualTo("/");
			assertThat(cookie.getDomain()).isNull();
			assertThat(cookie.isHttpOnly()).isTrue();
			assertThat(cookie.getSameSite()).isEqualTo("Lax");
		});
		assertThat(exchange.getResponse().getCookies().getFirst(COOKIE)).isNull();
	}

	@Test
	void overHttpTheCookieHasThePlainNameAndTheContextPath() {
		MockServerWebExchange exchange = MockServerWebExchange.builder(
				MockServerHttpRequest.get("http://localhost/app/oauth2/authorization/xref").contextPath("/app").build())
			.principal(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()))
			.build();
		this.repository.saveAuthorizationRequest(authorizationRequest("s1"), exchange).block();

		assertThat(exchange.getResponse().getCookies().getFirst(COOKIE)).satisfies((cookie) -> {
			assertThat(cookie.isSecure()).isFalse();
			assertThat(cookie.getPath()).isEqualTo("/app");
		});
	}

	private String start(String state, String user, @Nullable String cookie) {
		MockServerWebExchange exchange = exchange(state, user, cookie);
		this.repository.saveAuthorizationRequest(authorizationRequest(state), exchange).block();
		ResponseCookie set = exchange.getResponse().getCookies().getFirst(COOKIE);
		return set.getValue();
	}

	private static MockServerWebExchange exchange(String state, String user, @Nullable String cookie) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/oauth2/authorization/xref")
			.queryParam("state", state);
		if (cookie != null) {
			request.cookie(new HttpCookie(COOKIE, cookie));
		}
		return MockServerWebExchange.builder(request.build())
			.principal(UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()))
			.build();
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
