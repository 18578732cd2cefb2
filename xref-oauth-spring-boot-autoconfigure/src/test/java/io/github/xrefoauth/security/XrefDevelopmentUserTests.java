package io.github.xrefoauth.security;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * An application that relies on Spring Boot's generated development user keeps it when
 * the starter is added.
 */
@SpringBootTest(properties = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
		"xref.oauth.redirect-uri=http://localhost/integrations/xref" })
@AutoConfigureMockMvc
class XrefDevelopmentUserTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SecurityProperties security;

	@Autowired
	UserDetailsService users;

	@Test
	void generatedDevelopmentUserCanStillLogIn() throws Exception {
		assertThat(this.users.loadUserByUsername("user")).isNotNull();
		assertThat(this.security.getUser().isPasswordGenerated()).isTrue();

		this.mvc.perform(formLogin().user("user").password(this.security.getUser().getPassword()))
			.andExpect(redirectedUrl("/"));
		this.mvc.perform(formLogin().user("user").password("wrong")).andExpect(redirectedUrl("/login?error"));
	}

	/**
	 * Defines no user of its own.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ApplicationWithoutUsers {

	}

}
