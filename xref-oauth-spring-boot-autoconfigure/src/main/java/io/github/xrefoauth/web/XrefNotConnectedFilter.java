package io.github.xrefoauth.web;

import java.io.IOException;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.connect.XrefNotConnectedAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.web.util.ThrowableAnalyzer;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands an uncaught {@link XrefNotConnectedException}, or a
 * {@link ClientAuthorizationRequiredException} for {@code xref}, to an
 * {@link XrefNotConnectedHandler} instead of letting it become a 500; so too an
 * {@link XrefRateLimitedException} ({@link XrefNotConnectedHandler#onRateLimited}). Like
 * Spring Security's {@code OAuth2AuthorizationRequestRedirectFilter}, it finds the
 * exception anywhere in the cause chain, a {@link ServletException}'s root cause
 * included. Every other exception, and one thrown after the response was committed,
 * passes unchanged.
 * <p>
 * It sits after the chain's authorization filter, so it sees what the application throws
 * before Spring Security's own OAuth 2 filters do.
 */
final class XrefNotConnectedFilter extends OncePerRequestFilter {

	private final ThrowableAnalyzer throwableAnalyzer = new ServletThrowableAnalyzer();

	private final XrefNotConnectedHandler handler;

	/**
	 * Creates a filter.
	 * @param handler answers requests of tenants without connection
	 */
	public XrefNotConnectedFilter(XrefNotConnectedHandler handler) {
		Assert.notNull(handler, "handler cannot be null");
		this.handler = handler;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (response.isCommitted()) {
				throw ex;
			}
			Throwable[] causeChain = this.throwableAnalyzer.determineCauseChain(ex);
			RuntimeException notConnected = XrefNotConnectedAnswer.findNotConnected(causeChain);
			if (notConnected != null) {
				this.handler.onNotConnected(request, response, notConnected);
				return;
			}
			XrefRateLimitedException rateLimited = XrefNotConnectedAnswer.findRateLimited(causeChain);
			if (rateLimited == null) {
				throw ex;
			}
			this.handler.onRateLimited(request, response, rateLimited);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	private static final class ServletThrowableAnalyzer extends ThrowableAnalyzer {

		@Override
		protected void initExtractorMap() {
			super.initExtractorMap();
			registerExtractor(ServletException.class, (throwable) -> {
				verifyThrowableHierarchy(throwable, ServletException.class);
				return ((ServletException) throwable).getRootCause();
			});
		}

	}

}
