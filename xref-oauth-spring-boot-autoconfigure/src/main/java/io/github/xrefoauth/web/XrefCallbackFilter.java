package io.github.xrefoauth.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands requests to the callback path to an {@link XrefCallbackHandler}; every other
 * request passes.
 */
final class XrefCallbackFilter extends OncePerRequestFilter {

	private final XrefCallbackHandler handler;

	/**
	 * Creates a filter.
	 * @param handler the callback handler
	 */
	public XrefCallbackFilter(XrefCallbackHandler handler) {
		Assert.notNull(handler, "handler cannot be null");
		this.handler = handler;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.handler.matches(request)) {
			this.handler.handle(request, response);
			return;
		}
		chain.doFilter(request, response);
	}

}
