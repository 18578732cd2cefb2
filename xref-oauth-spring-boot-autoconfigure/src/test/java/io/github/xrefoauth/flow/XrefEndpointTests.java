package io.github.xrefoauth.flow;

import java.util.ArrayList;
import java.util.List;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.test.XrefSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The {@code xref} Actuator endpoint, exposed as an application would expose it: what to
 * register with Xref, the store and its counts, connect outcomes and webhook counts, and
 * neither the client secret nor any token.
 */
@SpringBootTest(classes = FlowTestApplication.class,
		properties = { "management.endpoints.web.exposure.include=xref",
				"xref.oauth.webhook.path=/integrations/xref/webhook" })
@AutoConfigureMockMvc
class XrefEndpointTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@AfterEach
	void forgetConnections() {
		for (String account : List.of("acct-acme", "acct-globex")) {
			this.store.deleteAccount(account);
		}
	}

	@Test
	void showsRegistrationStoreOutcomesAndWebhookCountsButNoSecretOrToken() throws Exception {
		List<String> tokens = new ArrayList<>();
		new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		tokens.add(this.store.findByAccount("acct-acme").orElseThrow().accessToken());
		new XrefFlowSupport(this.mvc, xref, "bob").connect("acct-acme");
		tokens.add(this.store.findByAccount("acct-acme").orElseThrow().accessToken());
		new XrefFlowSupport(this.mvc, xref, "carol").connect("acct-globex");
		tokens.add(this.store.findByAccount("acct-globex").orElseThrow().accessToken());
		XrefFlowSupport carol = new XrefFlowSupport(this.mvc, xref, "carol");
		carol.callback(xref.deny(carol.startConnect()));
		this.mvc.perform(post("/integrations/xref/webhook").contentType(MediaType.TEXT_PLAIN).content("x"));

		String body = this.mvc.perform(get("/actuator/xref").with(user("alice")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		JsonNode json = JsonMapper.shared().readTree(body);
		JsonNode registration = json.get("registration");
		assertThat(registration.get("client_id").asString()).isEqualTo(XrefFlowSupport.CLIENT_ID);
		assertThat(registration.get("redirect_url").asString()).isEqualTo(XrefFlowSupport.REDIRECT_URI);
		assertThat(registration.get("redirect_url_https").asBoolean()).isFalse();
		assertThat(registration.get("webhook_url").asString()).isEqualTo("http://localhost/integrations/xref/webhook");
		JsonNode store = json.get("store");
		assertThat(store.get("type").asString()).isEqualTo("memory");
		assertThat(store.get("implementation").asString()).endsWith("InMemoryXrefAccountStore");
		assertThat(store.get("connectedAccounts").asLong()).isEqualTo(2);
		assertThat(store.get("connectedTenants").asLong()).isEqualTo(2);
		JsonNode outcomes = json.get("connectOutcomes");
		assertThat(outcomes.get("connected").asLong()).isEqualTo(3);
		assertThat(outcomes.get("access_denied").asLong()).isEqualTo(1);
		assertThat(outcomes.get("token_exchange_failed").asLong()).isZero();
		JsonNode webhook = json.get("webhook");
		assertThat(webhook.get("path").asString()).isEqualTo("/integrations/xref/webhook");
		assertThat(webhook.get("maxBodySize").asLong()).isEqualTo(64 * 1024);
		assertThat(webhook.get("rejected").get("unsupported_media_type").asLong()).isOne();
		assertThat(body).doesNotContain(XrefFlowSupport.CLIENT_SECRET);
		assertThat(tokens).hasSize(3).doesNotHaveDuplicates();
		for (String token : tokens) {
			assertThat(body).doesNotContain(token);
		}
	}

	@Test
	void needsALogin() throws Exception {
		this.mvc.perform(get("/actuator/xref")).andExpect(status().isUnauthorized());
	}

}
