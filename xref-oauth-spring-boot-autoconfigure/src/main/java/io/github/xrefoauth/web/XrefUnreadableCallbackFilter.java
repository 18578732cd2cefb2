package io.github.xrefoauth.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a callback whose parameters cannot be read with {@code invalid_request}, at the
 * start of the filter chain: filters before the callback (Spring Security's request cache
 * among them) read parameters too, and on Tomcat an invalid %-encoding makes every such
 * read throw.
 */
final class XrefUnreadableCallbackFilter extends OncePerRequestFilter {

	private final XrefCallbackHandler handler;

	/**
	 * Creates a filter.
	 * @param handler the callback handler
	 */
	public XrefUnreadableCallbackFilter(XrefCallbackHandler handler) {
		Assert.notNull(handler, "handler cannot be null");
		this.handler = handler;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.handler.matches(request) && this.handler.rejectedAsUnreadable(request, response)) {
			return;
		}
		chain.doFilter(request, response);
	}

}
