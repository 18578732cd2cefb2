package io.github.xrefoauth.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An application with its own filter chain and the automatic customizer turned off
 * applies the Xref wiring with one line, and the chain's own rules still govern it.
 */
@SpringBootTest(properties = { "xref.oauth.apply-to-filter-chains=false", "xref.oauth.client-id=client-1",
		"xref.oauth.client-secret=secret-1", "xref.oauth.redirect-uri=http://localhost/integrations/xref",
		"xref.oauth.login-uri=https://login.xref.test" })
@AutoConfigureMockMvc
class XrefConfigurerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void oneLineAddsTheConnectFlow() throws Exception {
		String location = this.mvc.perform(get("/oauth2/authorization/xref").with(user("alice").roles("ADMIN")))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();

		assertThat(location).startsWith("https://login.xref.test/oauth/open-api/client-1?state=");
	}

	@Test
	void applicationRulesStillDecideWhoMayConnect() throws Exception {
		this.mvc.perform(get("/oauth2/authorization/xref").with(user("bob").roles("USER")))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(get("/integrations/xref").param("state", "s").param("code", "c").with(user("bob").roles("USER")))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(
					get("/integrations/xref").param("state", "s").param("code", "c").with(user("alice").roles("ADMIN")))
			.andExpect(redirectedUrl("/?xref_error=invalid_state"));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OwnChainApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/oauth2/authorization/xref", "/integrations/xref")
						.hasRole("ADMIN")
						.anyRequest()
						.authenticated());
			http.formLogin(withDefaults());
			http.with(XrefConfigurer.xref());
			return http.build();
		}

	}

}
