package io.github.xrefoauth.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

import static org.assertj.core.api.Assertions.assertThat;

class HttpSessionXrefAuthorizationRequestRepositoryTests {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

	private final HttpSessionXrefAuthorizationRequestRepository repository = new HttpSessionXrefAuthorizationRequestRepository();

	private final MockHttpSession session = new MockHttpSession();

	HttpSessionXrefAuthorizationRequestRepositoryTests() {
		this.repository.setClock(new Clock() {

			@Override
			public Instant instant() {
				return HttpSessionXrefAuthorizationRequestRepositoryTests.this.now.get();
			}

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

		});
	}

	@Test
	void twoTabsKeepTheirOwnPendingRequest() {
		save("state-1");
		save("state-2");

		assertThat(remove("state-1")).extracting(OAuth2AuthorizationRequest::getState).isEqualTo("state-1");
		assertThat(remove("state-2")).extracting(OAuth2AuthorizationRequest::getState).isEqualTo("state-2");
	}

	@Test
	void stateIsSingleUse() {
		save("state-1");

		assertThat(remove("state-1")).isNotNull();
		assertThat(remove("state-1")).isNull();
		assertThat(this.session.getAttribute(HttpSessionXrefAuthorizationRequestRepository.SESSION_ATTRIBUTE)).isNull();
	}

	@Test
	void stateOfAnotherSessionIsUnknown() {
		save("state-1");
		MockHttpServletRequest otherBrowser = request("state-1");
		otherBrowser.setSession(new MockHttpSession());

		assertThat(this.repository.removeAuthorizationRequest(otherBrowser, new MockHttpServletResponse())).isNull();
		assertThat(remove("state-1")).isNotNull();
	}

	@Test
	void anotherEndUserSignedInInTheSameSessionFindsNoPendingRequest() {
		save("state-1");
		MockHttpServletRequest otherUser = request("state-1");
		otherUser.setUserPrincipal(new TestingAuthenticationToken("mallory", "n/a"));

		assertThat(this.repository.loadAuthorizationRequest(otherUser)).isNull();
		assertThat(this.repository.removeAuthorizationRequest(otherUser, new MockHttpServletResponse())).isNull();
		assertThat(remove("state-1")).isNotNull();
	}

	@Test
	void requestExpiresAfterTenMinutes() {
		save("state-1");
		save("state-2");
		this.now.set(this.now.get().plus(Duration.ofMinutes(9)));
		assertThat(this.repository.loadAuthorizationRequest(request("state-1"))).isNotNull();
		assertThat(remove("state-1")).isNotNull();

		this.now.set(this.now.get().plus(Duration.ofMinutes(1)));

		assertThat(remove("state-2")).isNull();
	}

	@Test
	void oldestPendingRequestIsDroppedBeyondTheLimit() {
		this.repository.setMaxPendingRequests(2);
		save("state-1");
		save("state-2");
		save("state-3");

		assertThat(remove("state-1")).isNull();
		assertThat(remove("state-2")).isNotNull();
		assertThat(remove("state-3")).isNotNull();
	}

	@Test
	void sessionStarting2000ConnectsKeepsOnlyItsNewestTen() {
		for (int i = 0; i < 2000; i++) {
			save("state-" + i);
		}

		assertThat(
				(Map<?, ?>) this.session.getAttribute(HttpSessionXrefAuthorizationRequestRepository.SESSION_ATTRIBUTE))
			.hasSize(10);
		assertThat(remove("state-1989")).isNull();
		assertThat(remove("state-1990")).isNotNull();
		assertThat(remove("state-1999")).isNotNull();
	}

	@Test
	void requestWithoutStateOrSessionFindsNothing() {
		save("state-1");
		MockHttpServletRequest withoutState = new MockHttpServletRequest();
		withoutState.setSession(this.session);

		assertThat(this.repository.removeAuthorizationRequest(withoutState, new MockHttpServletResponse())).isNull();
		assertThat(
				this.repository.removeAuthorizationRequest(new MockHttpServletRequest(), new MockHttpServletResponse()))
			.isNull();
		assertThat(remove("state-1")).isNotNull();
	}

	private void save(String state) {
		OAuth2AuthorizationRequest authorizationRequest = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.xref.test/oauth/open-api/client-1")
			.clientId("client-1")
			.state(state)
			.build();
		this.repository.saveAuthorizationRequest(authorizationRequest, request(null), new MockHttpServletResponse());
	}

	private OAuth2AuthorizationRequest remove(String state) {
		return this.repository.removeAuthorizationRequest(request(state), new MockHttpServletResponse());
	}

	private MockHttpServletRequest request(String state) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(this.session);
		request.setUserPrincipal(new TestingAuthenticationToken("alice", "n/a"));
		if (state != null) {
			request.setParameter("state", state);
		}
		return request;
	}

}
