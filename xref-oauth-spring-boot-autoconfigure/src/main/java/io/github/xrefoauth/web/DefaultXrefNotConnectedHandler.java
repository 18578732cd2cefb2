package io.github.xrefoauth.web;

import java.io.IOException;
import java.util.Collections;
import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Sends a browser to connect and tells other clients why their request failed, as
 * {@link XrefNotConnectedAnswer} says for both web stacks.
 * <ul>
 * <li>A browser request ({@code Accept} names {@code text/html}, and it is not an
 * {@code XMLHttpRequest}) is redirected to {@code /oauth2/authorization/xref}, when the
 * application's rules let the end user open it; an anonymous end user is redirected too,
 * and the rules send them to log in first. The {@code Location} header is a path: it
 * takes nothing from the request's {@code Host} header. An authenticated end user whom
 * the rules do not let connect gets a {@code 409} error page.</li>
 * <li>Any other request gets {@code 409 Conflict} with an RFC 9457 problem detail
 * ({@code application/problem+json}); its {@code connectUri} member names the connect
 * path when the end user may open it, its {@code reason} member is
 * {@code reconnect_needed} (with {@code rejectedAt}) when Xref rejected the token of the
 * tenant's account, else {@code not_connected}.</li>
 * <li>A request that failed because Xref limited the rate of calls gets
 * {@code 503 Service Unavailable} with a {@code Retry-After} header: the error page for a
 * browser, a problem detail for any other client.</li>
 * </ul>
 * The answer never contains text from the request or from the exception.
 *
 * @since 0.1.0
 */
public final class DefaultXrefNotConnectedHandler implements XrefNotConnectedHandler {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final Supplier<@Nullable WebInvocationPrivilegeEvaluator> privilegeEvaluator;

	private RequestMatcher browserRequestMatcher = DefaultXrefNotConnectedHandler::isBrowser;

	private RedirectStrategy redirectStrategy = new RelativeRedirectStrategy();

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	/**
	 * Creates a handler.
	 * @param privilegeEvaluator supplies the evaluator of the application's rules (Spring
	 * Security's {@code privilegeEvaluator} bean), or {@code null} to let every end user
	 * connect
	 */
	public DefaultXrefNotConnectedHandler(Supplier<@Nullable WebInvocationPrivilegeEvaluator> privilegeEvaluator) {
		Assert.notNull(privilegeEvaluator, "privilegeEvaluator cannot be null");
		this.privilegeEvaluator = privilegeEvaluator;
	}

	@Override
	public void onNotConnected(HttpServletRequest request, HttpServletResponse response, RuntimeException exception)
			throws IOException {
		Authentication user = this.securityContextHolderStrategy.getContext().getAuthentication();
		boolean authenticated = this.trustResolver.isAuthenticated(user);
		boolean mayConnect = authenticated && mayConnect(request, user);
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.of(this.browserRequestMatcher.matches(request),
				authenticated, mayConnect, request.getContextPath(), exception);
		write(request, response, answer);
	}

	/**
	 * Answers {@code 503 Service Unavailable} with a {@code Retry-After} header: a
	 * browser gets the error page, any other client a problem detail.
	 */
	@Override
	public void onRateLimited(HttpServletRequest request, HttpServletResponse response,
			XrefRateLimitedException exception) throws IOException {
		XrefNotConnectedAnswer answer = XrefNotConnectedAnswer.rateLimited(this.browserRequestMatcher.matches(request),
				exception);
		write(request, response, answer);
	}

	private void write(HttpServletRequest request, HttpServletResponse response, XrefNotConnectedAnswer answer)
			throws IOException {
		String retryAfter = answer.retryAfter();
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		switch (answer.kind()) {
			case REDIRECT -> this.redirectStrategy.sendRedirect(request, response, XrefNotConnectedAnswer.CONNECT_PATH);
			case ERROR_PAGE -> response.sendError(answer.status().value(), answer.detail());
			case PROBLEM_DETAIL -> {
				response.setStatus(answer.status().value());
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.getOutputStream().write(answer.problemDetailJson());
			}
		}
	}

	private boolean mayConnect(HttpServletRequest request, Authentication user) {
		WebInvocationPrivilegeEvaluator evaluator = this.privilegeEvaluator.get();
		return evaluator == null
				|| evaluator.isAllowed(request.getContextPath(), XrefNotConnectedAnswer.CONNECT_PATH, "GET", user);
	}

	/**
	 * Sets which requests come from a browser and are redirected. The default is
	 * {@link XrefNotConnectedAnswer#isBrowser}.
	 * @param browserRequestMatcher the matcher
	 */
	public void setBrowserRequestMatcher(RequestMatcher browserRequestMatcher) {
		Assert.notNull(browserRequestMatcher, "browserRequestMatcher cannot be null");
		this.browserRequestMatcher = browserRequestMatcher;
	}

	/**
	 * Sets the strategy that sends a browser to connect. The default sends the path,
	 * after the context path, as the {@code Location} header, without making it absolute.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the strategy that holds the security context.
	 * @param securityContextHolderStrategy the strategy
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	private static boolean isBrowser(HttpServletRequest request) {
		return XrefNotConnectedAnswer.isBrowser(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)),
				request.getHeader("X-Requested-With"));
	}

}
