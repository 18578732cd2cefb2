package io.github.xrefoauth.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.webhook.XrefWebhookReceivedEvent;
import io.github.xrefoauth.webhook.XrefWebhookStatistics;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The webhook path of an application with its own login-protected, CSRF-protected filter
 * chain: open to Xref's POSTs of JSON, bounded, never a 5xx, every refusal counted.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefWebhookTests.OwnChain.class },
		properties = { "xref.oauth.webhook.path=/integrations/xref/webhook", "xref.oauth.webhook.max-body-size=1KB" })
@AutoConfigureMockMvc
class XrefWebhookTests {

	static final String WEBHOOK = "/integrations/xref/webhook";

	@Autowired
	MockMvc mvc;

	@Autowired
	WebApplicationContext context;

	@Autowired
	OwnChain deliveries;

	@Autowired
	XrefWebhookStatistics statistics;

	@Autowired
	InMemoryXrefAccountStore store;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void clear() {
		this.deliveries.received.clear();
	}

	@Test
	void aJsonPostWithoutLoginOrCsrfTokenBecomesOneUnverifiedEvent() throws Exception {
		long accepted = this.statistics.accepted();

		this.mvc.perform(json(post(WEBHOOK), "{\"event\":\"account.updated\",\"id\":7}"))
			.andExpect(status().isNoContent());

		assertThat(this.deliveries.received).singleElement().satisfies((event) -> {
			assertThat(event.verified()).isFalse();
			assertThat(event.delivery().json().get("event").asString()).isEqualTo("account.updated");
			assertThat(event.delivery().bodyAsString()).isEqualTo("{\"event\":\"account.updated\",\"id\":7}");
		});
		assertThat(this.statistics.accepted()).isEqualTo(accepted + 1);
	}

	@Test
	void otherPathsStillNeedALoginAndACsrfToken() throws Exception {
		this.mvc.perform(json(post("/api/auth"), "{}")).andExpect(status().isForbidden());
		this.mvc.perform(json(post(WEBHOOK + "/other"), "{}")).andExpect(status().isForbidden());
		this.mvc.perform(get("/api/connection")).andExpect(status().isFound());
	}

	@Test
	void refusalsAnswerWithTheirStatusAndAreCounted() throws Exception {
		Map<String, Long> before = this.statistics.rejected();

		this.mvc.perform(json(post(WEBHOOK), "{\"pad\":\"" + "x".repeat(1100) + "\"}"))
			.andExpect(status().isPayloadTooLarge());
		this.mvc.perform(post(WEBHOOK).contentType(MediaType.TEXT_PLAIN).content("{}"))
			.andExpect(status().isUnsupportedMediaType());
		this.mvc.perform(post(WEBHOOK).content("{}")).andExpect(status().isUnsupportedMediaType());
		this.mvc.perform(json(post(WEBHOOK), "{\"broken\":")).andExpect(status().isBadRequest());
		this.mvc.perform(json(post(WEBHOOK), "")).andExpect(status().isBadRequest());
		this.mvc.perform(json(post(WEBHOOK), "{} trailing")).andExpect(status().isBadRequest());
		this.mvc.perform(get(WEBHOOK))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string("Allow", "POST"));
		this.mvc.perform(json(put(WEBHOOK), "{}")).andExpect(status().isMethodNotAllowed());

		Map<String, Long> after = this.statistics.rejected();
		assertThat(after.get("payload_too_large") - before.get("payload_too_large")).isOne();
		assertThat(after.get("unsupported_media_type") - before.get("unsupported_media_type")).isEqualTo(2);
		assertThat(after.get("malformed_json") - before.get("malformed_json")).isEqualTo(3);
		assertThat(after.get("method_not_allowed") - before.get("method_not_allowed")).isEqualTo(2);
		assertThat(this.deliveries.received).isEmpty();
	}

	@Test
	void aFloodOfBadPostsGetsNo5xxStoresNothingAndIsCountedExactly() throws Exception {
		Map<String, Long> before = this.statistics.rejected();
		long acceptedBefore = this.statistics.accepted();
		List<MockHttpServletRequestBuilder> kinds = List.of(
				json(post(WEBHOOK), "{\"pad\":\"" + "x".repeat(2000) + "\"}"),
				post(WEBHOOK).contentType(MediaType.APPLICATION_XML).content("<x/>"),
				json(post(WEBHOOK), "{\"access_token\":"), get(WEBHOOK), json(post(WEBHOOK), "{\"event\":\"flood\"}"));

		int serverErrors = 0;
		// Spring Security's chain alone: the same filters answer, without Boot's servlet
		// filters (request metrics, encoding), so that the flood stays quick.
		MockMvc securityChainOnly = MockMvcBuilders.webAppContextSetup(this.context)
			.addFilters(
					this.context.getBean(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME, Filter.class))
			.build();
		for (int i = 0; i < 10_000; i++) {
			MvcResult result = securityChainOnly.perform(kinds.get(i % kinds.size())).andReturn();
			if (result.getResponse().getStatus() >= 500) {
				serverErrors++;
			}
		}

		assertThat(serverErrors).isZero();
		Map<String, Long> after = this.statistics.rejected();
		assertThat(after.get("payload_too_large") - before.get("payload_too_large")).isEqualTo(2000);
		assertThat(after.get("unsupported_media_type") - before.get("unsupported_media_type")).isEqualTo(2000);
		assertThat(after.get("malformed_json") - before.get("malformed_json")).isEqualTo(2000);
		assertThat(after.get("method_not_allowed") - before.get("method_not_allowed")).isEqualTo(2000);
		assertThat(this.statistics.accepted() - acceptedBefore).isEqualTo(2000);
		assertThat(this.deliveries.received).hasSize(2000);
		assertThat(this.store.countAccounts()).isZero();
		assertThat(this.store.countTenants()).isZero();
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.contentType(MediaType.APPLICATION_JSON).content(body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The application's own chain: every request needs a login, CSRF protection on.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnChain {

		final List<XrefWebhookReceivedEvent> received = new CopyOnWriteArrayList<>();

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@EventListener
		void on(XrefWebhookReceivedEvent event) {
			this.received.add(event);
		}

	}

}
