package io.github.xrefoauth.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.xrefoauth.connect.XrefClientRegistrations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Sends a browser to connect and tells other clients why their request failed.
 * <ul>
 * <li>A browser request ({@code Accept} names {@code text/html}, and it is not an
 * {@code XMLHttpRequest}) is redirected to {@code /oauth2/authorization/xref}, when the
 * application's rules let the end user open it; an anonymous end user is redirected too,
 * and the rules send them to log in first. An authenticated end user whom the rules do
 * not let connect gets a {@code 409} error page.</li>
 * <li>Any other request gets {@code 409 Conflict} with an RFC 9457 problem detail
 * ({@code application/problem+json}); its {@code connectUri} member names the connect
 * path when the end user may open it.</li>
 * </ul>
 * The answer never contains text from the request or from the exception.
 */
public final class DefaultXrefNotConnectedHandler implements XrefNotConnectedHandler {

	static final String DETAIL = "No Xref account is connected for this end user's tenant.";

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final Supplier<@Nullable WebInvocationPrivilegeEvaluator> privilegeEvaluator;

	private RequestMatcher browserRequestMatcher = browserRequests();

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

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
		if (this.browserRequestMatcher.matches(request)) {
			if (mayConnect || !authenticated) {
				this.redirectStrategy.sendRedirect(request, response, XrefClientRegistrations.AUTHORIZATION_PATH);
			}
			else {
				response.sendError(HttpStatus.CONFLICT.value(), DETAIL);
			}
			return;
		}
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", HttpStatus.CONFLICT.getReasonPhrase());
		problem.put("status", HttpStatus.CONFLICT.value());
		problem.put("detail", DETAIL);
		if (mayConnect) {
			problem.put("connectUri", request.getContextPath() + XrefClientRegistrations.AUTHORIZATION_PATH);
		}
		response.setStatus(HttpStatus.CONFLICT.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(problem));
	}

	private boolean mayConnect(HttpServletRequest request, Authentication user) {
		WebInvocationPrivilegeEvaluator evaluator = this.privilegeEvaluator.get();
		return evaluator == null || evaluator.isAllowed(request.getContextPath(),
				XrefClientRegistrations.AUTHORIZATION_PATH, "GET", user);
	}

	/**
	 * Sets which requests come from a browser and are redirected.
	 * @param browserRequestMatcher the matcher
	 */
	public void setBrowserRequestMatcher(RequestMatcher browserRequestMatcher) {
		Assert.notNull(browserRequestMatcher, "browserRequestMatcher cannot be null");
		this.browserRequestMatcher = browserRequestMatcher;
	}

	/**
	 * Sets the strategy that sends a browser to connect.
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

	/**
	 * Browser requests as Spring Security tells them apart for its entry points: they
	 * accept {@code text/html} ({@code *}{@code /*} does not count) and are no
	 * {@code XMLHttpRequest}.
	 */
	private static RequestMatcher browserRequests() {
		MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return new AndRequestMatcher(html,
				new NegatedRequestMatcher(new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest")));
	}

}
