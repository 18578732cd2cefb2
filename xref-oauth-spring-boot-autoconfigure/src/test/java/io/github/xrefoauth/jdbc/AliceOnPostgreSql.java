package io.github.xrefoauth.jdbc;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Application instances with the JDBC store on PostgreSQL, the Xref simulator, and Alice,
 * who connects Xref account {@code acct-1} (or another) through them with her browser.
 */
final class AliceOnPostgreSql implements AutoCloseable {

	static final String REDIRECT_URI = "http://localhost/integrations/xref";

	final XrefSimulator xref;

	final TestDatabase database;

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private @Nullable Cookie browser;

	/**
	 * A PostgreSQL database of its own and a simulator on which the instances are
	 * registered as {@code client-1}.
	 */
	AliceOnPostgreSql() {
		this.database = TestDatabase.postgresql();
		this.xref = XrefSimulator.start().registerClient("client-1", "secret-1", REDIRECT_URI);
	}

	/**
	 * The arguments of an application instance on the simulator; the data source is the
	 * caller's.
	 */
	static String[] arguments(XrefSimulator xref) {
		return new String[] { "--server.port=0", "--xref.oauth.client-id=client-1",
				"--xref.oauth.client-secret=secret-1", "--xref.oauth.redirect-uri=" + REDIRECT_URI,
				"--xref.oauth.login-uri=" + xref.baseUrl(), "--xref.oauth.api-uri=" + xref.baseUrl(),
				"--xref.oauth.store.type=jdbc", "--xref.oauth.store.jdbc.initialize-schema=never",
				"--xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
				"--xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=" };
	}

	/**
	 * Starts a servlet application instance on this database, closed with this.
	 */
	ConfigurableApplicationContext start(Class<?> application) {
		String[] arguments = Stream
			.concat(Stream.of("--spring.datasource.url=" + this.database.url(),
					"--spring.datasource.username=" + this.database.username()), Stream.of(arguments(this.xref)))
			.toArray(String[]::new);
		ConfigurableApplicationContext instance = new SpringApplicationBuilder(application)
			.web(WebApplicationType.SERVLET)
			.run(arguments);
		this.instances.add(instance);
		return instance;
	}

	/**
	 * Alice presses Connect on an instance, allows {@code acct-1} at Xref and comes back
	 * to the same instance; returns where she lands.
	 */
	static String connect(ConfigurableApplicationContext instance, XrefSimulator xref) throws Exception {
		MockHttpServletResponse start = mvc(instance).perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andReturn()
			.getResponse();
		Cookie browser = start.getCookie("XREF_CONNECT");
		String callback = xref.approve(Objects.requireNonNull(start.getRedirectedUrl()), "acct-1");
		return mvc(instance).perform(get(URI.create(callback)).cookie(browser).with(user("alice")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
	}

	/**
	 * Alice presses Connect on an instance and allows {@code acct-1} at Xref; returns the
	 * callback URL.
	 */
	String startConnectOn(ConfigurableApplicationContext instance) throws Exception {
		return this.xref.approve(startConnectRedirectOn(instance), "acct-1");
	}

	/**
	 * Alice presses Connect on an instance; returns where she is sent at Xref.
	 */
	String startConnectRedirectOn(ConfigurableApplicationContext instance) throws Exception {
		MockHttpServletResponse redirect = mvc(instance).perform(get("/oauth2/authorization/xref").with(user("alice")))
			.andReturn()
			.getResponse();
		this.browser = redirect.getCookie("XREF_CONNECT");
		return Objects.requireNonNull(redirect.getRedirectedUrl());
	}

	/**
	 * Alice's browser follows Xref's redirect to an instance; returns where she lands.
	 */
	@Nullable String callbackOn(ConfigurableApplicationContext instance, String callback) throws Exception {
		return mvc(instance).perform(get(URI.create(callback)).cookie(this.browser).with(user("alice")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
	}

	/**
	 * Alice is the end user of the calls on this thread (MockMvc clears the context).
	 */
	static void signIn() {
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
	}

	/**
	 * The token that the database holds for {@code acct-1}, decrypted.
	 */
	String storedToken() {
		return this.database.jdbc()
			.sql("SELECT access_token FROM xref_account WHERE xref_account_id = 'acct-1'")
			.query((rs, rowNum) -> this.instances.get(0).getBean(XrefTokenCipher.class).decrypt(rs.getString(1)))
			.single();
	}

	private static MockMvc mvc(ConfigurableApplicationContext instance) {
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) instance).apply(springSecurity()).build();
	}

	@Override
	public void close() {
		SecurityContextHolder.clearContext();
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.database.close();
		this.xref.close();
	}

}
