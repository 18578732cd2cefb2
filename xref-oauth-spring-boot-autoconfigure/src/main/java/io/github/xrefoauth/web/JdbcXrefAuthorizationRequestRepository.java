package io.github.xrefoauth.web;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.github.xrefoauth.connect.XrefPendingRequestRules;
import io.github.xrefoauth.jdbc.JdbcXrefPendingRequests;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.WebUtils;

/**
 * {@link XrefAuthorizationRequestRepository} in the {@code xref_authorization_request}
 * table, so that a connect started on one instance completes on any other, without sticky
 * sessions and without a shared HTTP session.
 * <p>
 * Each pending request is keyed by its {@code state} and bound twice: to the browser, by
 * a random value in an HTTP-only cookie ({@value #DEFAULT_COOKIE_NAME}, or
 * {@code __Host-}{@value #DEFAULT_COOKIE_NAME} on HTTPS; {@code SameSite=Lax} so that
 * Xref's redirect back carries it), and to the signed-in end user. The table holds only
 * SHA-256 hashes of the cookie value and of the end user's name; a callback must match
 * both. Every tab of one browser shares the cookie and keeps its own state. A request
 * expires after {@link #setTimeToLive(Duration) 10 minutes} and is removed by one
 * {@code DELETE} whose update count decides the single callback that may use it.
 * <p>
 * The table stays small without a scheduled job: every save deletes the expired rows of
 * all browsers, and keeps only the newest {@link #setMaxPendingPerBrowser(int) 10}
 * pending requests of the browser and the newest {@link #setMaxPendingPerEndUser(int) 20}
 * of the end user, dropping the oldest. A client that discards the cookie on every
 * connect is still held by the bound per end user.
 *
 * @since 0.1.0
 */
public final class JdbcXrefAuthorizationRequestRepository implements XrefAuthorizationRequestRepository {

	/** Name of the cookie that binds pending requests to the browser. */
	public static final String DEFAULT_COOKIE_NAME = JdbcXrefPendingRequests.DEFAULT_COOKIE_NAME;

	/**
	 * Prefix of the cookie name on HTTPS: the browser then accepts the cookie only from
	 * this host, over HTTPS, for the whole site.
	 */
	public static final String SECURE_COOKIE_PREFIX = JdbcXrefPendingRequests.SECURE_COOKIE_PREFIX;

	private final XrefPendingRequestRules rules = new XrefPendingRequestRules();

	private final JdbcXrefPendingRequests pendingRequests;

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private String cookieName = DEFAULT_COOKIE_NAME;

	/**
	 * Creates a repository.
	 * @param dataSource the database that holds the {@code xref_authorization_request}
	 * table
	 */
	public JdbcXrefAuthorizationRequestRepository(DataSource dataSource) {
		this.pendingRequests = new JdbcXrefPendingRequests(dataSource, this.rules);
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		String binding = bindingCookieValue(request);
		if (state == null || binding == null) {
			return null;
		}
		return this.pendingRequests.find(state, binding, principalName(request)).orElse(null);
	}

	@Override
	public void saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			HttpServletRequest request, HttpServletResponse response) {
		if (authorizationRequest == null) {
			removeAuthorizationRequest(request, response);
			return;
		}
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		String binding = bindingCookieValue(request);
		if (binding == null) {
			binding = this.pendingRequests.newBinding();
		}
		this.pendingRequests.save(authorizationRequest, binding, principalName(request));
		response.addCookie(bindingCookie(binding, request));
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
			HttpServletResponse response) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		String binding = bindingCookieValue(request);
		if (state == null || binding == null) {
			return null;
		}
		return this.pendingRequests.remove(state, binding, principalName(request));
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
	 * Sets how many connects one browser may have pending; beyond that the oldest are
	 * dropped. Defaults to 10.
	 * @param maxPendingPerBrowser the maximum number of pending requests per browser
	 */
	public void setMaxPendingPerBrowser(int maxPendingPerBrowser) {
		this.rules.setMaxPendingPerBrowser(maxPendingPerBrowser);
	}

	/**
	 * Sets how many connects one end user may have pending, over all browsers; beyond
	 * that the oldest are dropped. Defaults to 20.
	 * @param maxPendingPerEndUser the maximum number of pending requests per end user
	 */
	public void setMaxPendingPerEndUser(int maxPendingPerEndUser) {
		this.rules.setMaxPendingPerEndUser(maxPendingPerEndUser);
	}

	/**
	 * Sets the clock that decides expiry. Instances sharing the table need clocks that
	 * agree to well within the time to live.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		this.rules.setClock(clock);
	}

	/**
	 * Sets the name of the cookie that binds pending requests to the browser. Defaults to
	 * {@value #DEFAULT_COOKIE_NAME}; on HTTPS the name is prefixed with
	 * {@value #SECURE_COOKIE_PREFIX}.
	 * @param cookieName the cookie name
	 */
	public void setCookieName(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} that gives the signed-in end user
	 * when the request carries no principal. Defaults to
	 * {@link SecurityContextHolder#getContextHolderStrategy()}.
	 * @param securityContextHolderStrategy the strategy to use
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Returns the name of the signed-in end user, or an empty string for none. The
	 * redirect filter and the callback both run after authentication, so the request or
	 * the security context knows the end user.
	 */
	private String principalName(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal != null) {
			return principal.getName();
		}
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		return (authentication != null) ? authentication.getName() : "";
	}

	private String cookieName(HttpServletRequest request) {
		return JdbcXrefPendingRequests.bindingCookieName(this.cookieName, request.isSecure());
	}

	private @Nullable String bindingCookieValue(HttpServletRequest request) {
		Cookie cookie = WebUtils.getCookie(request, cookieName(request));
		return (cookie != null && StringUtils.hasText(cookie.getValue())) ? cookie.getValue() : null;
	}

	private Cookie bindingCookie(String binding, HttpServletRequest request) {
		Cookie cookie = new Cookie(cookieName(request), binding);
		cookie.setPath(JdbcXrefPendingRequests.bindingCookiePath(request.isSecure(), request.getContextPath()));
		cookie.setSecure(request.isSecure());
		cookie.setHttpOnly(true);
		cookie.setMaxAge((int) this.rules.getTimeToLive().toSeconds());
		cookie.setAttribute("SameSite", "Lax");
		return cookie;
	}

}
