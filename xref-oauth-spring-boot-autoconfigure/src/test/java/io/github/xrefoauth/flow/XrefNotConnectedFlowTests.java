package io.github.xrefoauth.flow;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A controller that calls Xref for a tenant without connection and does not handle
 * {@code XrefNotConnectedException}: no 500, through the real filter chain.
 */
class XrefNotConnectedFlowTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@Nested
	@SpringBootTest(classes = { FlowTestApplication.class, ReportController.class })
	@AutoConfigureMockMvc
	class Enabled {

		@Autowired
		MockMvc mvc;

		@BeforeEach
		void clearRequests() {
			xref.clearRequests();
		}

		@Test
		void browserIsSentToConnect() throws Exception {
			this.mvc.perform(post("/report").with(user("carol")).with(csrf()).accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/oauth2/authorization/xref"));
			assertThat(xref.requests("/auth")).isEmpty();
		}

		@Test
		void apiClientGetsAConflictProblemDetail() throws Exception {
			this.mvc.perform(post("/report").with(user("carol")).with(csrf()).accept(MediaType.APPLICATION_JSON))
				.andExpect(status().isConflict())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(409))
				.andExpect(jsonPath("$.connectUri").value("/oauth2/authorization/xref"));
		}

		@Test
		void theApplicationsOwnExceptionHandlerStillWins() throws Exception {
			this.mvc.perform(post("/api/auth").with(user("carol")).with(csrf()).accept(MediaType.TEXT_HTML))
				.andExpect(status().isConflict())
				.andExpect(content().string("not connected"));
		}

		@Test
		void otherFailuresAreLeftAlone() {
			assertThatExceptionOfType(ServletException.class)
				.isThrownBy(() -> this.mvc.perform(post("/broken").with(user("carol")).with(csrf())))
				.withRootCauseInstanceOf(IllegalStateException.class);
		}

	}

	@Nested
	@SpringBootTest(classes = { FlowTestApplication.class, ReportController.class },
			properties = "xref.oauth.not-connected-handling.enabled=false")
	@AutoConfigureMockMvc
	class Disabled {

		@Autowired
		MockMvc mvc;

		@Test
		void theExceptionReachesTheContainerAsWithoutTheStarter() {
			assertThatExceptionOfType(ServletException.class)
				.isThrownBy(() -> this.mvc
					.perform(post("/report").with(user("carol")).with(csrf()).accept(MediaType.TEXT_HTML)))
				.withRootCauseInstanceOf(XrefNotConnectedException.class);
		}

	}

	@RestController
	static class ReportController {

		private final RestClient xrefRestClient;

		ReportController(@Qualifier("xrefRestClient") RestClient xrefRestClient) {
			this.xrefRestClient = xrefRestClient;
		}

		@PostMapping("/report")
		String report() {
			return this.xrefRestClient.post().uri("/auth").retrieve().body(String.class);
		}

		@PostMapping("/broken")
		String broken() {
			throw new IllegalStateException("not about Xref");
		}

	}

}
