package io.github.xrefoauth.web;

import java.io.IOException;

import io.github.xrefoauth.account.XrefRateLimitedException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers a request whose handling failed because the end user's tenant has no Xref
 * connection: an uncaught {@code XrefNotConnectedException}, or Spring Security's
 * {@code ClientAuthorizationRequiredException} for the {@code xref} registration; and one
 * that failed because Xref limited the rate of calls ({@link XrefRateLimitedException}).
 *
 * @see XrefNotConnectedFilter
 * @see DefaultXrefNotConnectedHandler
 * @since 0.1.0
 */
@FunctionalInterface
public interface XrefNotConnectedHandler {

	/**
	 * Answers the request; the response is not committed yet.
	 * @param request the request
	 * @param response the response
	 * @param exception the exception that says that no account is connected
	 * @throws IOException if the answer cannot be written
	 * @throws ServletException if the answer fails
	 */
	void onNotConnected(HttpServletRequest request, HttpServletResponse response, RuntimeException exception)
			throws IOException, ServletException;

	/**
	 * Answers a request that failed because Xref limited the rate of calls; the response
	 * is not committed yet. By default, as {@link DefaultXrefNotConnectedHandler} does:
	 * {@code 503 Service Unavailable} with a {@code Retry-After} header.
	 * @param request the request
	 * @param response the response
	 * @param exception what Xref answered, with the wait
	 * @throws IOException if the answer cannot be written
	 * @throws ServletException if the answer fails
	 */
	default void onRateLimited(HttpServletRequest request, HttpServletResponse response,
			XrefRateLimitedException exception) throws IOException, ServletException {
		new DefaultXrefNotConnectedHandler(() -> null).onRateLimited(request, response, exception);
	}

}
