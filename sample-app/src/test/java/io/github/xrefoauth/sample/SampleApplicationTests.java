package io.github.xrefoauth.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantResolver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * The sample's login, tenant mapping and messages, without a browser and with an Xref
 * that cannot be reached.
 */
@SpringBootTest(properties = "sample.simulator.enabled=false")
@AutoConfigureMockMvc
class SampleApplicationTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private XrefTenantResolver tenantResolver;

	@Autowired
	private XrefAccountStore accountStore;

	@DynamicPropertySource
	static void unreachableXref(DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.api-uri", () -> "http://127.0.0.1:" + closedPort());
	}

	@Test
	void dashboardSendsAnonymousVisitorsToLogin() {
		assertThat(this.mvc.get().uri("/")).hasStatus3xxRedirection().redirectedUrl().endsWith("/login");
	}

	@Test
	void aliceAndBobShareATenantAndCarolHasAnother() {
		assertThat(tenantOf("alice")).isEqualTo("acme");
		assertThat(tenantOf("bob")).isEqualTo("acme");
		assertThat(tenantOf("carol")).isEqualTo("globex");
	}

	@Test
	void dashboardOffersConnectToATenantWithoutConnection() {
		assertThat(this.mvc.get().uri("/").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains("Logged in as <strong id=\"user\">carol</strong>")
			.contains("href=\"/oauth2/authorization/xref\"");
	}

	@Test
	void dashboardExplainsADeniedConnect() {
		assertThat(this.mvc.get().uri("/?xref_error=access_denied").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.DENIED.getText());
	}

	@Test
	void dashboardNeverEchoesAnUnknownFailureCode() {
		assertThat(this.mvc.get().uri("/").param("xref_error", "<b>injected</b>").with(user("carol"))).hasStatusOk()
			.bodyText()
			.contains(Notice.CONNECT_FAILED.getText())
			.doesNotContain("injected");
	}

	@Test
	void verifyWhenXrefIsUnreachableKeepsTheConnectionAndSaysSo() {
		this.accountStore.save("acme", new XrefConnection("acme-account", "token", Instant.now(), "alice"));
		assertThat(this.mvc.post().uri("/xref/verify").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/")
			.flash()
			.containsEntry("notice", Notice.XREF_UNAVAILABLE);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
		this.accountStore.deleteAccount("acme-account");
	}

	@Test
	void verifyRequiresTheCsrfToken() {
		assertThat(this.mvc.post().uri("/xref/verify").with(user("alice"))).hasStatus(403);
	}

	private String tenantOf(String username) {
		return this.tenantResolver.resolveTenant(new TestingAuthenticationToken(username, null, "ROLE_USER"));
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
