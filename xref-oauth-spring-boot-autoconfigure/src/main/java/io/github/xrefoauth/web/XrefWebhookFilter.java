package io.github.xrefoauth.web;

import java.io.IOException;

import io.github.xrefoauth.webhook.XrefWebhookReceiver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands requests to the webhook path to an {@link XrefWebhookReceiver} and ends them
 * there; every other request passes. Placed before Spring Security's CSRF filter, so the
 * webhook path alone needs neither a login nor a CSRF token.
 */
final class XrefWebhookFilter extends OncePerRequestFilter {

	private final XrefWebhookReceiver receiver;

	/**
	 * Creates a filter.
	 * @param receiver the receiver
	 */
	public XrefWebhookFilter(XrefWebhookReceiver receiver) {
		Assert.notNull(receiver, "receiver cannot be null");
		this.receiver = receiver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.receiver.matches(request)) {
			this.receiver.receive(request, response);
			return;
		}
		chain.doFilter(request, response);
	}

}
