package io.github.xrefoauth.jdbc;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.autoconfigure.XrefClientAutoConfiguration;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Two application instances on one PostgreSQL database: instance B has read the tenant's
 * token, instance A connects the account anew (Xref revokes the old token), and B's next
 * call through {@code xrefRestClient} or {@code xrefWebClient} succeeds with the stored
 * token, whether or not B's cache still held the old one (it does, for up to
 * {@code cache-ttl}, unless B learns of the write sooner).
 */
class TwoInstancesOnePostgreSqlCallAfterReconnectTests {

	private static final String REDIRECT_URI = "http://localhost/integrations/xref";

	private final XrefSimulator xref = XrefSimulator.start().registerClient("client-1", "secret-1", REDIRECT_URI);

	private TestDatabase database;

	private ConfigurableApplicationContext instanceA;

	private ConfigurableApplicationContext instanceB;

	private final List<Object> eventsOnB = new CopyOnWriteArrayList<>();

	private Cookie browser;

	@BeforeEach
	void startInstances() throws Exception {
		this.database = TestDatabase.postgresql();
		this.instanceA = start();
		this.instanceB = start();
		this.instanceB.addApplicationListener((event) -> {
			if (event instanceof PayloadApplicationEvent<?> payload
					&& payload.getPayload() instanceof XrefConnectionEvent connectionEvent) {
				this.eventsOnB.add(connectionEvent);
			}
		});
		assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
	}

	@AfterEach
	void stopInstances() {
		SecurityContextHolder.clearContext();
		Stream.of(this.instanceA, this.instanceB)
			.filter(Objects::nonNull)
			.forEach(ConfigurableApplicationContext::close);
		if (this.database != null) {
			this.database.close();
		}
		this.xref.close();
	}

	@Test
	void restClientCallOnBAfterAReconnectOnASucceeds() throws Exception {
		RestClient clientOnB = this.instanceB.getBean(XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME,
				RestClient.class);
		signInAlice();
		assertThat(clientOnB.post().uri("/auth").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		String t1 = storedToken();

		reconnectOnA(t1);
		signInAlice();

		ResponseEntity<String> answer = clientOnB.post().uri("/auth").retrieve().toEntity(String.class);

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getBody()).contains("acct-1");
		assertTenantStillConnectedWith(storedToken());
	}

	@Test
	void webClientCallOnBAfterAReconnectOnASucceeds() throws Exception {
		WebClient clientOnB = this.instanceB.getBean(XrefClientAutoConfiguration.WEB_CLIENT_BEAN_NAME, WebClient.class);
		signInAlice();
		assertThat(clientOnB.post().uri("/auth").retrieve().toBodilessEntity().block().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		String t1 = storedToken();

		reconnectOnA(t1);
		signInAlice();

		ResponseEntity<String> answer = clientOnB.post().uri("/auth").retrieve().toEntity(String.class).block();

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getBody()).contains("acct-1");
		assertTenantStillConnectedWith(storedToken());
	}

	/**
	 * Alice connects the account anew on A: the new token is stored, and Xref no longer
	 * honours the one B has cached.
	 */
	private void reconnectOnA(String t1) throws Exception {
		assertThat(callbackOn(this.instanceA, startConnectOn(this.instanceA))).isEqualTo("/");
		String t2 = storedToken();
		assertThat(t2).isNotEqualTo(t1);
		assertThat(this.xref.validTokens()).containsExactly(t2);
	}

	private void assertTenantStillConnectedWith(String token) {
		assertThat(this.eventsOnB).isEmpty();
		assertThat(this.xref.validTokens()).containsExactly(token);
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { this.instanceA,
				this.instanceB }) {
			assertThat(instance.getBean(XrefAccountStore.class).findByTenant("alice")).map(XrefConnection::accessToken)
				.contains(token);
		}
	}

	/**
	 * Alice is the end user of the calls on this thread (MockMvc clears the context).
	 */
	private static void signInAlice() {
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
	}

	private String storedToken() {
		return this.database.jdbc()
			.sql("SELECT access_token FROM xref_account WHERE xref_account_id = 'acct-1'")
			.query((rs, rowNum) -> this.instanceA.getBean(XrefTokenCipher.class).decrypt(rs.getString(1)))
			.single();
	}

	/**
	 * Alice presses Connect on one instance and allows at Xref; returns the callback URL.
	 */
	private String startConnectOn(ConfigurableApplicationContext instance) throws Exception {
		MockHttpServletResponse redirect = mvc(instance).perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andReturn()
			.getResponse();
		this.browser = redirect.getCookie("XREF_CONNECT");
		return this.xref.approve(redirect.getRedirectedUrl(), "acct-1");
	}

	/**
	 * Alice's browser follows Xref's redirect to an instance; returns where she lands.
	 */
	private String callbackOn(ConfigurableApplicationContext instance, String callback) throws Exception {
		return mvc(instance).perform(get(URI.create(callback)).cookie(this.browser).with(user("alice")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--spring.datasource.url=" + this.database.url(),
					"--spring.datasource.username=" + this.database.username(), "--xref.oauth.client-id=client-1",
					"--xref.oauth.client-secret=secret-1", "--xref.oauth.redirect-uri=" + REDIRECT_URI,
					"--xref.oauth.login-uri=" + this.xref.baseUrl(), "--xref.oauth.api-uri=" + this.xref.baseUrl(),
					"--xref.oauth.store.type=jdbc", "--xref.oauth.store.jdbc.initialize-schema=never",
					"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=");
	}

	private static MockMvc mvc(ConfigurableApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).apply(springSecurity()).build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Instance {

	}

}
