package io.github.xrefoauth.flow;

import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that fails while a connect starts or completes sends the end user to the
 * failure URL with a reason code, never to an error page, and no token is requested.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefStoreFaultTests.FaultyStore.class })
@AutoConfigureMockMvc
class XrefStoreFaultTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	FaultyRepository repository;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void reset() {
		xref.clearRequests();
		this.repository.down = false;
	}

	@Test
	void storeDownWhenAConnectStartsIsAStartFailure() throws Exception {
		this.repository.down = true;

		assertThat(new XrefFlowSupport(this.mvc, xref, "alice").startConnect()).isEqualTo("/?xref_error=start_failed");
	}

	@Test
	void storeDownAtTheCallbackIsAStoreFailureWithoutTokenRequest() throws Exception {
		XrefFlowSupport alice = new XrefFlowSupport(this.mvc, xref, "alice");
		String callback = xref.approve(alice.startConnect(), "acct-acme");
		this.repository.down = true;

		assertThat(alice.callback(callback)).isEqualTo("/?xref_error=store_failed");
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FaultyStore {

		@Bean
		FaultyRepository faultyRepository() {
			return new FaultyRepository();
		}

	}

	static class FaultyRepository implements XrefAuthorizationRequestRepository {

		private final HttpSessionXrefAuthorizationRequestRepository delegate = new HttpSessionXrefAuthorizationRequestRepository();

		volatile boolean down;

		@Override
		public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
			check();
			return this.delegate.loadAuthorizationRequest(request);
		}

		@Override
		public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorizationRequest,
				HttpServletRequest request, HttpServletResponse response) {
			check();
			this.delegate.saveAuthorizationRequest(authorizationRequest, request, response);
		}

		@Override
		public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
				HttpServletResponse response) {
			check();
			return this.delegate.removeAuthorizationRequest(request, response);
		}

		private void check() {
			if (this.down) {
				throw new DataAccessResourceFailureException("database down");
			}
		}

	}

}
