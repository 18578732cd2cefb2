package io.github.xrefoauth.web;

import java.io.IOException;
import java.util.Objects;

import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectManager.EndUser;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.event.XrefConnectFailure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Handles Xref's redirect back to the platform ({@code redirect-uri}).
 * <ol>
 * <li>takes the pending request of the {@code state} out of the repository (single use);
 * without one, Xref's token endpoint is never called;</li>
 * <li>turns {@code error=...} into a failure;</li>
 * <li>exchanges the {@code code} for the account's token;</li>
 * <li>stores the token under the Xref account and links the end user's tenant to it;</li>
 * <li>redirects to the success URL, or to the failure URL with
 * {@code ?xref_error=<code>}.</li>
 * </ol>
 * Only {@code GET} is answered so; other methods get {@code 405} and touch nothing. The
 * redirects are relative unless the configured URL is absolute: their host never comes
 * from the request. Failures that any client can cause are logged at DEBUG; faults of
 * Xref or the store at WARN, at most once a minute per reason. All are counted in
 * {@link XrefConnectOutcomes}.
 * <p>
 * The rules of each step are {@link XrefConnectManager}'s, which the WebFlux handler
 * shares: this handler reads the request, hands it to the manager and writes the
 * redirect. No token is left valid at Xref that the store does not hold, as far as Xref
 * answers: a failed save is read back, and a token that the store does not keep, or that
 * a reconnect replaced, is revoked through the manager's
 * {@link XrefConnectManager#setTokenRevoker token revoker}.
 *
 * @since 0.1.0
 */
public final class XrefCallbackHandler {

	private final RequestMatcher callbackMatcher;

	private final XrefAuthorizationRequestRepository authorizationRequestRepository;

	private final XrefTenantContext tenantContext;

	private final XrefConnectManager completion;

	private XrefConnectRedirects redirects = XrefConnectRedirects.ROOT;

	private RedirectStrategy redirectStrategy = new RelativeRedirectStrategy();

	/**
	 * Creates a handler.
	 * @param callbackPath the path of the redirect URL registered with Xref
	 * @param authorizationRequestRepository the pending authorization requests
	 * @param tenantContext the end user's tenant
	 * @param manager applies the rules of a connect: checks the callback, exchanges the
	 * code, stores the token, and counts, publishes and observes the outcome
	 */
	public XrefCallbackHandler(String callbackPath, XrefAuthorizationRequestRepository authorizationRequestRepository,
			XrefTenantContext tenantContext, XrefConnectManager manager) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(manager, "manager cannot be null");
		this.callbackMatcher = PathPatternRequestMatcher.withDefaults().matcher(callbackPath);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tenantContext = tenantContext;
		this.completion = manager;
	}

	/**
	 * Whether the request is Xref's callback.
	 * @param request the request
	 * @return {@code true} for a request to the callback path
	 */
	public boolean matches(HttpServletRequest request) {
		return this.callbackMatcher.matches(request);
	}

	/**
	 * Completes a connect and redirects the end user.
	 * @param request the callback request
	 * @param response the response
	 * @throws IOException if the redirect fails
	 */
	public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (rejectedBeforeCompleting(request, response)) {
			return;
		}
		XrefConnectFailure failure = this.completion.observeConnect(() -> complete(request, response));
		if (failure == null) {
			this.redirectStrategy.sendRedirect(request, response, this.redirects.successUrl());
			return;
		}
		sendFailure(request, response, failure);
	}

	/**
	 * Answers, before anything is read or stored, a request that is not a {@code GET}
	 * ({@code 405}; a {@code HEAD} must not complete a connect) or whose parameters
	 * cannot be read.
	 */
	private boolean rejectedBeforeCompleting(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (!HttpMethod.GET.matches(request.getMethod())) {
			fail(XrefConnectFailure.INVALID_REQUEST, null);
			response.setStatus(HttpStatus.METHOD_NOT_ALLOWED.value());
			response.setHeader(HttpHeaders.ALLOW, HttpMethod.GET.name());
			return true;
		}
		return rejectedAsUnreadable(request, response);
	}

	/**
	 * Answers a callback whose parameters cannot be read, say for an invalid %-encoding
	 * (Tomcat then throws from every {@code getParameter}), with {@code invalid_request}.
	 * @param request the callback request
	 * @param response the response
	 * @return whether the request was answered
	 * @throws IOException if the redirect fails
	 */
	public boolean rejectedAsUnreadable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			request.getParameterMap();
			return false;
		}
		catch (RuntimeException ex) {
			sendFailure(request, response, fail(XrefConnectFailure.INVALID_REQUEST, ex));
			return true;
		}
	}

	private void sendFailure(HttpServletRequest request, HttpServletResponse response, XrefConnectFailure failure)
			throws IOException {
		this.redirectStrategy.sendRedirect(request, response, this.redirects.failureUrl(failure));
	}

	/**
	 * Sends the end user to the failure URL when a connect could not be started: refused
	 * by {@link #checkStart}, or because its pending request could not be saved.
	 * @param request the request to {@code /oauth2/authorization/xref}
	 * @param response the response
	 * @param exception what went wrong
	 * @throws IOException if the redirect fails
	 */
	public void startFailed(HttpServletRequest request, HttpServletResponse response, Exception exception)
			throws IOException {
		XrefConnectFailure failure = this.completion
			.observeConnect(() -> this.completion.startFailed(exception, currentEndUser()));
		sendFailure(request, response, Objects.requireNonNull(failure));
	}

	/**
	 * Refuses to start a connect that could never complete, before anything is saved and
	 * before the end user is sent to Xref ({@link XrefConnectManager#checkStart}). Hand
	 * what it throws to {@link #startFailed}.
	 * @param request the request to {@code /oauth2/authorization/xref}
	 * @throws RuntimeException to refuse the connect
	 */
	public void checkStart(HttpServletRequest request) {
		this.completion.checkStart(currentEndUser());
	}

	private @Nullable XrefConnectFailure complete(HttpServletRequest request, HttpServletResponse response) {
		return this.completion.handleCallback(currentEndUser(),
				() -> this.authorizationRequestRepository.removeAuthorizationRequest(request, response),
				request.getParameter(OAuth2ParameterNames.ERROR), request.getParameter(OAuth2ParameterNames.CODE));
	}

	/**
	 * Counts and logs the failure; see {@link XrefConnectManager#fail}.
	 */
	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause) {
		return this.completion.fail(failure, cause, currentEndUser());
	}

	private EndUser currentEndUser() {
		return this.tenantContext.currentUser()
			.map((user) -> EndUser.authenticated(user.getName(), () -> this.tenantContext.tenantOf(user)))
			.orElseGet(EndUser::anonymous);
	}

	/**
	 * Sets where the end user lands after a connect; the reason of a failure is appended
	 * as {@value XrefConnectFailure#PARAMETER}. Defaults to {@code /} for both.
	 * @param redirects the URLs
	 */
	public void setRedirects(XrefConnectRedirects redirects) {
		Assert.notNull(redirects, "redirects cannot be null");
		this.redirects = redirects;
	}

	/**
	 * Sets the strategy that sends the end user on. Defaults to one that sends the
	 * configured URL as it is (a path with the context path), never with a host from the
	 * request.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

}
