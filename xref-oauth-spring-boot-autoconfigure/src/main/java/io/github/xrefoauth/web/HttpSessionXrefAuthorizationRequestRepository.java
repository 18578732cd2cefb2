package io.github.xrefoauth.web;

import java.io.Serializable;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.xrefoauth.connect.XrefPendingRequestRules;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.web.util.WebUtils;

/**
 * {@link XrefAuthorizationRequestRepository} that keeps pending requests in the HTTP
 * session, so that a state is bound to the browser session that started the connect, and
 * to its signed-in end user: after a login as someone else in the same session, the
 * pending request is not found. Unlike Spring Security's
 * {@code HttpSessionOAuth2AuthorizationRequestRepository}, it keeps one request per
 * state, so connects started in two tabs both complete.
 * <p>
 * The attribute is written again after every change, so session stores that persist on
 * {@code setAttribute} (such as Spring Session) see it. A state is single use within one
 * application instance; across instances use
 * {@code JdbcXrefAuthorizationRequestRepository}.
 *
 * @since 0.1.0
 */
public final class HttpSessionXrefAuthorizationRequestRepository implements XrefAuthorizationRequestRepository {

	static final String SESSION_ATTRIBUTE = HttpSessionXrefAuthorizationRequestRepository.class.getName() + ".REQUESTS";

	private final XrefPendingRequestRules rules = new XrefPendingRequestRules();

	@Override
	public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		HttpSession session = request.getSession(false);
		if (state == null || session == null) {
			return null;
		}
		synchronized (WebUtils.getSessionMutex(session)) {
			return this.rules.find(pendingRequests(session).get(state), principalName(request));
		}
	}

	@Override
	public void saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			HttpServletRequest request, HttpServletResponse response) {
		if (authorizationRequest == null) {
			removeAuthorizationRequest(request, response);
			return;
		}
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		HttpSession session = request.getSession();
		synchronized (WebUtils.getSessionMutex(session)) {
			Map<String, PendingRequest> pending = pendingRequests(session);
			this.rules.add(pending, authorizationRequest.getState(),
					new PendingRequest(authorizationRequest, this.rules.now(), principalName(request)));
			session.setAttribute(SESSION_ATTRIBUTE, pending);
		}
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
			HttpServletResponse response) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		HttpSession session = request.getSession(false);
		if (state == null || session == null) {
			return null;
		}
		synchronized (WebUtils.getSessionMutex(session)) {
			Map<String, PendingRequest> pending = pendingRequests(session);
			PendingRequest removed = this.rules.remove(pending, state, principalName(request));
			if (removed == null) {
				return null;
			}
			if (pending.isEmpty()) {
				session.removeAttribute(SESSION_ATTRIBUTE);
			}
			else {
				session.setAttribute(SESSION_ATTRIBUTE, pending);
			}
			return this.rules.live(removed);
		}
	}

	/**
	 * Sets how long a connect may take from the redirect to Xref to the callback.
	 * Defaults to 10 minutes.
	 * @param timeToLive the time to live of a pending request
	 */
	public void setTimeToLive(Duration timeToLive) {
		this.rules.setTimeToLive(timeToLive);
	}

	/**
	 * Sets how many connects one session may have pending; the oldest is dropped beyond.
	 * Defaults to 10.
	 * @param maxPendingRequests the maximum number of pending requests per session
	 */
	public void setMaxPendingRequests(int maxPendingRequests) {
		this.rules.setMaxPendingPerBrowser(maxPendingRequests);
	}

	/**
	 * Sets the clock that decides expiry.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		this.rules.setClock(clock);
	}

	private static @Nullable String principalName(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, PendingRequest> pendingRequests(HttpSession session) {
		Object attribute = session.getAttribute(SESSION_ATTRIBUTE);
		return (attribute instanceof Map<?, ?> map) ? new LinkedHashMap<>((Map<String, PendingRequest>) map)
				: new LinkedHashMap<>();
	}

	private record PendingRequest(OAuth2AuthorizationRequest request, Instant createdAt,
			@Nullable String principal) implements XrefPendingRequestRules.Entry, Serializable {

	}

}
