package io.github.xrefoauth.flow;

import java.net.InetAddress;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code xrefWebClient} in a servlet application: the end user comes from the
 * {@code SecurityContextHolder} of the request thread, and tokens go only to the API.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefWebClientServletTests.WebClientController.class })
@AutoConfigureMockMvc
class XrefWebClientServletTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	WebApplicationContext context;

	@Autowired
	XrefAccountStore store;

	@Autowired
	@Qualifier("xrefWebClient")
	WebClient xrefWebClient;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void clear() {
		xref.clearRequests();
	}

	@AfterEach
	void forgetConnections() {
		this.store.findByTenant("acme").ifPresent((connection) -> this.store.deleteAccount(connection.xrefAccountId()));
	}

	@Test
	void endUserOfTheRequestCallsWithTheTokenOfTheirTenant() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		String token = this.store.findByAccount("acct-acme").orElseThrow().accessToken();

		this.mvc.perform(get("/webclient/auth").with(user("bob"))).andExpect(status().isOk());
		this.mvc.perform(get("/webclient/auth").with(user("carol"))).andExpect(status().isConflict());

		assertThat(this.context.getServletContext()).isNotNull();
		assertThat(xref.requests("/auth")).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + token));
	}

	@Test
	void namedAccountWorksOutsideARequest() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");

		this.xrefWebClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-acme"))
			.retrieve()
			.toBodilessEntity()
			.block();

		assertThat(xref.requests("/auth")).hasSize(1);
	}

	@Test
	void tokensGoOnlyToTheApiOrigin() throws Exception {
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		try (MockWebServer elsewhere = new MockWebServer()) {
			elsewhere.start(InetAddress.getLoopbackAddress(), 0);

			this.mvc
				.perform(get("/webclient/elsewhere").param("url", elsewhere.url("/steal").toString())
					.with(user("alice")))
				.andExpect(status().isBadRequest())
				.andExpect(content().string("refused"));

			assertThat(elsewhere.getRequestCount()).isZero();
		}
	}

	@RestController
	static class WebClientController {

		private final WebClient xrefWebClient;

		WebClientController(@Qualifier("xrefWebClient") WebClient xrefWebClient) {
			this.xrefWebClient = xrefWebClient;
		}

		@GetMapping("/webclient/auth")
		String auth() {
			return this.xrefWebClient.post().uri("/auth").retrieve().bodyToMono(String.class).block();
		}

		@GetMapping("/webclient/elsewhere")
		String elsewhere(@RequestParam String url) {
			return this.xrefWebClient.get().uri(url).retrieve().bodyToMono(String.class).block();
		}

		@ExceptionHandler(XrefNotConnectedException.class)
		ResponseEntity<String> notConnected() {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("not connected");
		}

		@ExceptionHandler(IllegalArgumentException.class)
		ResponseEntity<String> refused() {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body("refused");
		}

	}

}
