package io.github.xrefoauth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class XrefAuthorizationRequestRedirectFilterTests {

	private final HttpSessionXrefAuthorizationRequestRepository repository = new HttpSessionXrefAuthorizationRequestRepository();

	private final AtomicReference<RuntimeException> startFailure = new AtomicReference<>();

	private final XrefAuthorizationRequestRedirectFilter filter = new XrefAuthorizationRequestRedirectFilter(
			new XrefAuthorizationRequestResolver(XrefClientRegistrations.create("client-1", "secret-1",
					"https://platform.example/integrations/xref", "https://login.xref.test", "https://api.xref.test")),
			this.repository, (request, response, exception) -> this.startFailure.set(exception));

	@Test
	void connectRedirectsToXrefAndKeepsThePendingRequest() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/xref");
		request.setSession(new MockHttpSession());
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, (req, res) -> {
			throw new AssertionError("the chain must not run");
		});

		String location = response.getRedirectedUrl();
		assertThat(location).startsWith("https://login.xref.test/oauth/open-api/client-1?state=");
		MockHttpServletRequest callback = new MockHttpServletRequest("GET", "/integrations/xref");
		callback.setSession(request.getSession());
		callback.setParameter("state", location.substring(location.indexOf("state=") + 6).replace("%3D", "="));
		assertThat(this.repository.loadAuthorizationRequest(callback)).isNotNull();
	}

	@Test
	void reauthorizationOfAnotherRegistrationIsLeftToSpringSecurity() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/reports");
		FilterChain chain = (req, res) -> {
			throw new ClientAuthorizationRequiredException("google");
		};

		assertThatExceptionOfType(ClientAuthorizationRequiredException.class)
			.isThrownBy(() -> this.filter.doFilter(request, new MockHttpServletResponse(), chain));
		assertThat(this.startFailure).hasNullValue();
	}

	@Test
	void pendingRequestThatCannotBeSavedIsAStartFailure() throws Exception {
		XrefAuthorizationRequestRedirectFilter failing = new XrefAuthorizationRequestRedirectFilter(
				new XrefAuthorizationRequestResolver(XrefClientRegistrations.create("client-1", "secret-1",
						"https://platform.example/integrations/xref", "https://login.xref.test",
						"https://api.xref.test")),
				new BrokenRepository(), (request, response, exception) -> this.startFailure.set(exception));
		MockHttpServletResponse response = new MockHttpServletResponse();

		failing.doFilter(new MockHttpServletRequest("GET", "/oauth2/authorization/xref"), response, (req, res) -> {
		});

		assertThat(this.startFailure.get()).hasMessage("database down");
		assertThat(response.getRedirectedUrl()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "returns no tenant", "throws" })
	void endUserWithoutTenantIsRefusedBeforeAnythingIsSavedOrXrefIsVisited(String resolver) throws Exception {
		XrefTenantContext tenantContext = new XrefTenantContext((authentication) -> {
			if (resolver.equals("throws")) {
				throw new IllegalStateException("directory down");
			}
			return null;
		});
		List<Object> events = new ArrayList<>();
		XrefConnectManager manager = new XrefConnectManager((code) -> {
			throw new AssertionError("no exchange");
		}, new InMemoryXrefAccountStore());
		manager.setApplicationEventPublisher(events::add);
		XrefCallbackHandler handler = new XrefCallbackHandler("/integrations/xref", this.repository, tenantContext,
				manager);
		XrefAuthorizationRequestRedirectFilter checked = new XrefAuthorizationRequestRedirectFilter(
				new XrefAuthorizationRequestResolver(XrefClientRegistrations.create("client-1", "secret-1",
						"https://platform.example/integrations/xref", "https://login.xref.test",
						"https://api.xref.test")),
				this.repository, handler::startFailed);
		checked.setStartCheck(handler::checkStart);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/xref");
		MockHttpServletResponse response = new MockHttpServletResponse();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("mallory", null, List.of()));
		try {
			checked.doFilter(request, response, (req, res) -> {
			});
		}
		finally {
			SecurityContextHolder.clearContext();
		}

		assertThat(response.getRedirectedUrl()).isEqualTo("/?xref_error=no_tenant");
		assertThat(request.getSession(false)).as("nothing saved").isNull();
		assertThat(events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event).extracting("reason", "endUser")
						.containsExactly(XrefConnectFailure.NO_TENANT, "mallory"));
	}

	private static final class BrokenRepository implements XrefAuthorizationRequestRepository {

		@Override
		public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
			throw new IllegalStateException("database down");
		}

		@Override
		public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorizationRequest,
				HttpServletRequest request, HttpServletResponse response) {
			throw new IllegalStateException("database down");
		}

		@Override
		public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
				HttpServletResponse response) {
			throw new IllegalStateException("database down");
		}

	}

}
