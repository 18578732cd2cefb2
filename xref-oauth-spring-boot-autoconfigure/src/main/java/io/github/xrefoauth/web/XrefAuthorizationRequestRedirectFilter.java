package io.github.xrefoauth.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code GET /oauth2/authorization/xref} with a redirect to Xref's authorize URL
 * and keeps the pending request in an {@link XrefAuthorizationRequestRepository}. Every
 * other request passes untouched: unlike Spring Security's
 * {@code OAuth2AuthorizationRequestRedirectFilter}, it does not catch what the rest of
 * the chain throws, so the application's own OAuth 2 clients keep their re-authorization.
 */
final class XrefAuthorizationRequestRedirectFilter extends OncePerRequestFilter {

	private final XrefAuthorizationRequestResolver resolver;

	private final XrefAuthorizationRequestRepository repository;

	private final StartFailureHandler failureHandler;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private StartCheck startCheck = (request) -> {
	};

	/**
	 * Creates a filter.
	 * @param resolver resolves the Xref authorization request
	 * @param repository keeps the pending request until the callback
	 * @param failureHandler answers when the request cannot be resolved or saved
	 */
	public XrefAuthorizationRequestRedirectFilter(XrefAuthorizationRequestResolver resolver,
			XrefAuthorizationRequestRepository repository, StartFailureHandler failureHandler) {
		Assert.notNull(resolver, "resolver cannot be null");
		Assert.notNull(repository, "repository cannot be null");
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.resolver = resolver;
		this.repository = repository;
		this.failureHandler = failureHandler;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		OAuth2AuthorizationRequest authorizationRequest;
		try {
			authorizationRequest = this.resolver.resolve(request);
			if (authorizationRequest != null) {
				this.startCheck.check(request);
				this.repository.saveAuthorizationRequest(authorizationRequest, request, response);
			}
		}
		catch (RuntimeException ex) {
			this.failureHandler.onStartFailure(request, response, ex);
			return;
		}
		if (authorizationRequest == null) {
			chain.doFilter(request, response);
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, authorizationRequest.getAuthorizationRequestUri());
	}

	/**
	 * Sets the strategy that sends the end user to Xref.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the check that runs before a connect is saved and the end user is sent to
	 * Xref; what it throws goes to the {@link StartFailureHandler}. By default every
	 * connect starts.
	 * @param startCheck the check
	 */
	public void setStartCheck(StartCheck startCheck) {
		Assert.notNull(startCheck, "startCheck cannot be null");
		this.startCheck = startCheck;
	}

	/**
	 * Refuses connects that could never complete.
	 */
	@FunctionalInterface
	public interface StartCheck {

		/**
		 * Returns normally if the connect may start.
		 * @param request the request to start a connect
		 * @throws RuntimeException to refuse the connect
		 */
		void check(HttpServletRequest request);

	}

	/**
	 * Answers a connect that could not be started.
	 */
	@FunctionalInterface
	public interface StartFailureHandler {

		/**
		 * Answers the request, typically with a redirect to a failure page.
		 * @param request the request to start a connect
		 * @param response the response
		 * @param exception what went wrong
		 * @throws IOException if the answer cannot be written
		 */
		void onStartFailure(HttpServletRequest request, HttpServletResponse response, RuntimeException exception)
				throws IOException;

	}

}
