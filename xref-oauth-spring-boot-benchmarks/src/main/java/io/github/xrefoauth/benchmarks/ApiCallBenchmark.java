package io.github.xrefoauth.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.JdbcOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.client.RestClient;

/**
 * What one API call through a {@link RestClient} costs with each way of adding the token,
 * in one run: the floor (a fixed header), Spring Security's
 * {@link OAuth2ClientHttpRequestInterceptor} over its in-memory and JDBC
 * authorized-client services, and the starter's {@link XrefTokenInterceptor} over its
 * in-memory and JDBC stores (read cache on, the default, and off). The request factory
 * answers at once, so the network does not hide the difference. The end user is in the
 * security context, as in a web request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ApiCallBenchmark {

	static final String FLOOR = "floor";

	/**
	 * Every way of adding the token; {@code -postgresql} ones need the local PostgreSQL.
	 */
	static final List<String> PATHS = List.of(FLOOR, "spring-memory", "spring-jdbc-h2", "spring-jdbc-postgresql",
			"xref-memory", "xref-jdbc-h2", "xref-jdbc-h2-nocache", "xref-jdbc-postgresql",
			"xref-jdbc-postgresql-nocache");

	private static final String API = "https://api-open.xref.com";

	private static final String TOKEN = "cb6f9d8c843c22e53db97f7fd2ff20ab58c91e31";

	private static final String USER = "alice";

	private static final byte[] BODY = "{\"xref_account_id\":\"d1e01e1a36a09eda2a31b01caf62eb2e\"}".getBytes();

	@Param({ "floor", "spring-memory", "spring-jdbc-h2", "xref-memory", "xref-jdbc-h2", "xref-jdbc-h2-nocache" })
	public String path;

	private RestClient restClient;

	private BenchmarkDatabase database;

	@Setup
	public void createClient() {
		String[] parts = this.path.split("-");
		if (parts.length > 2) {
			this.database = new BenchmarkDatabase(parts[2]);
		}
		ClientHttpRequestInterceptor interceptor = switch (parts[0]) {
			case FLOOR -> (request, body, execution) -> {
				request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Token " + TOKEN);
				return execution.execute(request, body);
			};
			case "spring" -> springInterceptor();
			case "xref" -> xrefInterceptor(parts.length > 3);
			default -> throw new IllegalArgumentException(this.path);
		};
		this.restClient = RestClient.builder()
			.baseUrl(API)
			.requestFactory(answeringAtOnce())
			.requestInterceptor(interceptor)
			.build();
	}

	@TearDown
	public void closeDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Benchmark
	public String callApi(EndUser endUser) {
		return this.restClient.post().uri("/auth").retrieve().body(String.class);
	}

	private ClientHttpRequestInterceptor springInterceptor() {
		ClientRegistration registration = ClientRegistration.withRegistrationId("xref")
			.clientId("client")
			.clientSecret("secret")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("https://platform.example/integrations/xref")
			.authorizationUri("https://login.xref.com/oauth/open-api/client")
			.tokenUri(API + "/oauth/tokens")
			.build();
		InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
		OAuth2AuthorizedClientService service;
		if (this.database == null) {
			service = new InMemoryOAuth2AuthorizedClientService(registrations);
		}
		else {
			this.database.createSpringSchema();
			service = new JdbcOAuth2AuthorizedClientService(new JdbcTemplate(this.database.dataSource()),
					registrations);
		}
		Instant now = Instant.now();
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, TOKEN, now,
				now.plus(Duration.ofDays(1)));
		service.saveAuthorizedClient(new OAuth2AuthorizedClient(registration, USER, token),
				UsernamePasswordAuthenticationToken.authenticated(USER, null, List.of()));
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				registrations, service);
		manager
			.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().build());
		OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(manager);
		interceptor.setClientRegistrationIdResolver((request) -> registration.getRegistrationId());
		return interceptor;
	}

	private ClientHttpRequestInterceptor xrefInterceptor(boolean noCache) {
		XrefAccountStore store;
		if (this.database == null) {
			store = new InMemoryXrefAccountStore();
		}
		else {
			this.database.createXrefSchema();
			JdbcXrefAccountStore jdbcStore = new JdbcXrefAccountStore(this.database.dataSource(),
					BenchmarkDatabase.randomCipher());
			if (noCache) {
				jdbcStore.setCacheTimeToLive(Duration.ZERO);
			}
			store = jdbcStore;
		}
		store.save("acme", new XrefConnection("d1e01e1a36a09eda2a31b01caf62eb2e", TOKEN, Instant.now(), USER));
		return new XrefTokenInterceptor(store, new XrefTenantContext((authentication) -> "acme"), API);
	}

	private static ClientHttpRequestFactory answeringAtOnce() {
		return (uri, method) -> {
			MockClientHttpRequest request = new MockClientHttpRequest(method, uri);
			MockClientHttpResponse response = new MockClientHttpResponse(BODY, HttpStatus.OK);
			response.getHeaders().set(HttpHeaders.CONTENT_TYPE, "application/json");
			request.setResponse(response);
			return request;
		};
	}

	/**
	 * The logged-in end user in the security context of the thread that calls.
	 */
	@State(Scope.Thread)
	public static class EndUser {

		@Setup
		public void logIn() {
			Authentication user = UsernamePasswordAuthenticationToken.authenticated(USER, null,
					AuthorityUtils.createAuthorityList("ROLE_USER"));
			SecurityContextHolder.getContext().setAuthentication(user);
		}

		@TearDown
		public void logOut() {
			SecurityContextHolder.clearContext();
		}

	}

}
