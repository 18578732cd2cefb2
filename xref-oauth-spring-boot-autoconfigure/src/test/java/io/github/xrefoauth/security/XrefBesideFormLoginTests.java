package io.github.xrefoauth.security;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Adding the starter keeps Spring Boot's default form login: no OAuth 2 login, no Xref
 * link on the login page.
 */
@SpringBootTest(classes = LoginTestApplication.class,
		properties = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=http://localhost/integrations/xref",
				"xref.oauth.login-uri=https://login.xref.test" })
@AutoConfigureMockMvc
class XrefBesideFormLoginTests {

	@Autowired
	MockMvc mvc;

	@Test
	void loginPageIsTheFormLoginPageWithoutXref() throws Exception {
		String page = this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("name=\"username\"", "name=\"password\"");
		assertThat(page.toLowerCase()).doesNotContain("xref", "oauth");
	}

	@Test
	void formLoginStillWorksAndThenAConnectStarts() throws Exception {
		MockHttpSession session = (MockHttpSession) this.mvc.perform(formLogin().user("alice").password("password"))
			.andExpect(redirectedUrl("/"))
			.andReturn()
			.getRequest()
			.getSession();

		String location = this.mvc.perform(get("/oauth2/authorization/xref").session(session))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getRedirectedUrl();

		assertThat(location).startsWith("https://login.xref.test/oauth/open-api/client-1?state=");
	}

	@Test
	void anonymousConnectIsSentToTheLoginPage() throws Exception {
		this.mvc.perform(get("/oauth2/authorization/xref").header("Accept", "text/html"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"));
	}

}
