package io.github.xrefoauth.web;

import java.io.IOException;
import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.connect.XrefConnectRedirects;
import io.github.xrefoauth.event.XrefConnectFailure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

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
 * No token is left valid at Xref that the store does not hold, as far as Xref answers
 * ({@link XrefConnectManager}, which the reactive handler shares): when storing fails,
 * the handler reads back whether the write committed all the same (then the connect
 * succeeded); if it did not, or the read fails too, the new token is revoked through the
 * {@link XrefConnectManager#setTokenRevoker token revoker} and the connect fails with
 * {@code store_failed}. A reconnect that replaced another token of the account revokes
 * that token. Revocation is best effort: its failure is logged (without the token) and
 * changes nothing else.
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
	 * @param completion exchanges the code, stores the token, and counts, publishes and
	 * observes the outcome
	 */
	public XrefCallbackHandler(String callbackPath, XrefAuthorizationRequestRepository authorizationRequestRepository,
			XrefTenantContext tenantContext, XrefConnectManager completion) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(completion, "completion cannot be null");
		this.callbackMatcher = PathPatternRequestMatcher.withDefaults().matcher(callbackPath);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tenantContext = tenantContext;
		this.completion = completion;
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
	 * Sends the end user to the failure URL when a connect could not be started, e.g.
	 * because the pending request could not be saved.
	 * @param request the request to {@code /oauth2/authorization/xref}
	 * @param response the response
	 * @param exception what went wrong
	 * @throws IOException if the redirect fails
	 */
	public void startFailed(HttpServletRequest request, HttpServletResponse response, Exception exception)
			throws IOException {
		ConnectFailed failed = (exception instanceof ConnectFailed refused) ? refused
				: new ConnectFailed(XrefConnectFailure.START_FAILED, exception);
		this.completion.observeConnect(() -> fail(failed.failure, failed.getCause()));
		sendFailure(request, response, failed.failure);
	}

	/**
	 * Refuses to start a connect that could never complete, before anything is saved and
	 * before the end user is sent to Xref: without an authenticated end user
	 * ({@code not_authenticated}) or without a tenant ({@code no_tenant}). Hand what it
	 * throws to {@link #startFailed}.
	 * @param request the request to {@code /oauth2/authorization/xref}
	 * @throws RuntimeException to refuse the connect
	 */
	public void checkStart(HttpServletRequest request) {
		Authentication user = this.tenantContext.currentUser()
			.orElseThrow(() -> new ConnectFailed(XrefConnectFailure.NOT_AUTHENTICATED, null));
		attempt(XrefConnectFailure.NO_TENANT, () -> this.tenantContext.tenantOf(user));
	}

	private @Nullable XrefConnectFailure complete(HttpServletRequest request, HttpServletResponse response) {
		try {
			Authentication user = this.tenantContext.currentUser()
				.orElseThrow(() -> new ConnectFailed(XrefConnectFailure.NOT_AUTHENTICATED, null));
			String code = consumeState(request, response);
			String tenantKey = attempt(XrefConnectFailure.NO_TENANT, () -> this.tenantContext.tenantOf(user));
			return this.completion.complete(tenantKey, code, user.getName());
		}
		catch (ConnectFailed ex) {
			return fail(ex.failure, ex.getCause());
		}
	}

	/**
	 * Takes the pending request of the state out of the repository and returns the code
	 * that Xref sent along.
	 */
	private String consumeState(HttpServletRequest request, HttpServletResponse response) {
		OAuth2AuthorizationRequest pending = attempt(XrefConnectFailure.STORE_FAILED,
				() -> this.authorizationRequestRepository.removeAuthorizationRequest(request, response));
		if (pending == null) {
			throw new ConnectFailed(XrefConnectFailure.INVALID_STATE, null);
		}
		String error = request.getParameter(OAuth2ParameterNames.ERROR);
		if (error != null) {
			throw new ConnectFailed(OAuth2ErrorCodes.ACCESS_DENIED.equals(error) ? XrefConnectFailure.DENIED
					: XrefConnectFailure.XREF_ERROR, null);
		}
		String code = request.getParameter(OAuth2ParameterNames.CODE);
		if (!StringUtils.hasText(code)) {
			throw new ConnectFailed(XrefConnectFailure.MISSING_CODE, null);
		}
		return code;
	}

	private static <T> T attempt(XrefConnectFailure failure, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (RuntimeException ex) {
			throw new ConnectFailed(failure, ex);
		}
	}

	/**
	 * Counts and logs the failure; see {@link XrefConnectManager#fail}.
	 */
	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Throwable cause) {
		return this.completion.fail(failure, cause, currentTenantOrNull(),
				this.tenantContext.currentUser().map(Authentication::getName).orElse(null));
	}

	private @Nullable String currentTenantOrNull() {
		try {
			return this.tenantContext.currentTenant().orElse(null);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Sets where the end user lands after a connect; the reason of a failure is appended
	 * as {@value XrefConnectRedirects#FAILURE_PARAMETER}. Defaults to {@code /} for both.
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

	/**
	 * Ends {@link #complete} with a failure.
	 */
	private static final class ConnectFailed extends RuntimeException {

		private final XrefConnectFailure failure;

		ConnectFailed(XrefConnectFailure failure, @Nullable Exception cause) {
			super(failure.code(), cause, false, false);
			this.failure = failure;
		}

	}

}
