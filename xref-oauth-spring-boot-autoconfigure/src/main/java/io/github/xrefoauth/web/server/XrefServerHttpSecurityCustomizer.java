package io.github.xrefoauth.web.server;

import org.jspecify.annotations.Nullable;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.util.Assert;

/**
 * Adds the Xref connect flow to a WebFlux security filter chain:
 * {@code GET /oauth2/authorization/xref} redirects to Xref, and the callback path
 * completes the connect. A connect that could never complete (no authenticated end user,
 * no tenant) is refused before anything is saved and before the trip to Xref, as on the
 * servlet stack. Both filters run after the chain's own authorization rules
 * ({@link SecurityWebFiltersOrder#AUTHORIZATION}), so they see the authenticated end
 * user; where those rules require authentication, an anonymous end user is asked to log
 * in first. With a {@link ServerXrefNotConnectedHandler}
 * ({@link #setNotConnectedHandler}), a web filter after them answers requests that fail
 * because the tenant has no connection, as {@code XrefConfigurer} does on the servlet
 * stack.
 * <p>
 * The starter registers one as a {@code Customizer<ServerHttpSecurity>} bean, which
 * Spring Security applies to every chain built from its {@code ServerHttpSecurity} bean.
 * To apply it by hand: {@code xrefServerHttpSecurityCustomizer.customize(http);}
 *
 * @since 0.1.0
 */
public final class XrefServerHttpSecurityCustomizer implements Customizer<ServerHttpSecurity> {

	private final ServerXrefAuthorizationRequestResolver resolver;

	private final ServerXrefAuthorizationRequestRepository repository;

	private final ServerXrefCallbackHandler callbackHandler;

	private @Nullable ServerXrefNotConnectedHandler notConnectedHandler;

	/**
	 * Creates a customizer.
	 * @param resolver resolves the Xref authorization request
	 * @param repository keeps pending requests until the callback
	 * @param callbackHandler completes the connect
	 */
	public XrefServerHttpSecurityCustomizer(ServerXrefAuthorizationRequestResolver resolver,
			ServerXrefAuthorizationRequestRepository repository, ServerXrefCallbackHandler callbackHandler) {
		Assert.notNull(resolver, "resolver cannot be null");
		Assert.notNull(repository, "repository cannot be null");
		Assert.notNull(callbackHandler, "callbackHandler cannot be null");
		this.resolver = resolver;
		this.repository = repository;
		this.callbackHandler = callbackHandler;
	}

	@Override
	public void customize(ServerHttpSecurity http) {
		XrefAuthorizationRequestRedirectWebFilter redirectFilter = new XrefAuthorizationRequestRedirectWebFilter(
				this.resolver, this.repository, this.callbackHandler::startFailed);
		redirectFilter.setStartCheck(this.callbackHandler::checkStart);
		http.addFilterAfter(redirectFilter, SecurityWebFiltersOrder.AUTHORIZATION);
		http.addFilterAfter(new XrefCallbackWebFilter(this.callbackHandler), SecurityWebFiltersOrder.AUTHORIZATION);
		if (this.notConnectedHandler != null) {
			http.addFilterAfter(new XrefNotConnectedWebFilter(this.notConnectedHandler),
					SecurityWebFiltersOrder.AUTHORIZATION);
		}
	}

	/**
	 * Sets the handler that answers requests that fail because the tenant has no
	 * connection; without one, such a failure reaches the application's error handling.
	 * @param notConnectedHandler the handler
	 */
	public void setNotConnectedHandler(ServerXrefNotConnectedHandler notConnectedHandler) {
		Assert.notNull(notConnectedHandler, "notConnectedHandler cannot be null");
		this.notConnectedHandler = notConnectedHandler;
	}

}
