package io.github.xrefoauth.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.util.UrlUtils;

/**
 * Redirects with the {@code Location} header exactly as configured (a path gets the
 * context path), instead of {@code sendRedirect}, which lets the servlet container make
 * it absolute from the request's {@code Host} header.
 */
final class RelativeRedirectStrategy implements RedirectStrategy {

	@Override
	public void sendRedirect(HttpServletRequest request, HttpServletResponse response, String url) {
		String location = UrlUtils.isAbsoluteUrl(url) ? url : request.getContextPath() + url;
		response.resetBuffer();
		response.setStatus(HttpStatus.FOUND.value());
		response.setHeader(HttpHeaders.LOCATION, response.encodeRedirectURL(location));
	}

}
