package io.github.xrefoauth.sample;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.util.UrlUtils;

/**
 * Redirects to the path and query of a URL only. Spring Security saves the request that
 * led to the login page with an absolute URL built from that request's {@code Host}
 * header; after the login this sends the browser back to the path on this application,
 * whatever host was named. A path of the application gets the context path.
 */
final class PathOnlyRedirectStrategy implements RedirectStrategy {

	@Override
	public void sendRedirect(HttpServletRequest request, HttpServletResponse response, String url) throws IOException {
		String location = UrlUtils.isAbsoluteUrl(url) ? pathAndQuery(url) : request.getContextPath() + url;
		response.sendRedirect(response.encodeRedirectURL(location));
	}

	private static String pathAndQuery(String url) {
		int path = url.indexOf('/', url.indexOf("://") + 3);
		String pathAndQuery = (path != -1) ? url.substring(path) : "/";
		// Browsers read a path that starts with "//" or "/\" as another host.
		return (pathAndQuery.startsWith("//") || pathAndQuery.startsWith("/\\")) ? "/" : pathAndQuery;
	}

}
