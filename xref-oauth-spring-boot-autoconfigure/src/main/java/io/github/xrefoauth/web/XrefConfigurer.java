package io.github.xrefoauth.web;

import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.webhook.XrefWebhookReceiver;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;

/**
 * Adds the Xref connect flow to a filter chain: {@code GET /oauth2/authorization/xref}
 * redirects to Xref, and the callback path completes the connect. Both run after the
 * chain's own authorization rules, so they see the authenticated end user; where those
 * rules require authentication, an anonymous end user is sent to log in first. A third
 * filter, first in the chain, answers callbacks whose parameters cannot be read. With an
 * {@link XrefNotConnectedHandler} bean, an {@link XrefNotConnectedFilter} answers
 * requests that fail because the tenant has no connection.
 * <p>
 * With an {@link XrefWebhookReceiver} bean ({@code xref.oauth.webhook.path}), the webhook
 * path is answered before the CSRF filter and the chain's authorization rules: it needs
 * neither a login nor a CSRF token, and no other path changes.
 * <p>
 * The starter applies it to every {@link HttpSecurity} bean. To apply it by hand:
 *
 * <pre class="code">
 * http.with(XrefConfigurer.xref());
 * </pre>
 *
 * @since 0.1.0
 */
public final class XrefConfigurer extends AbstractHttpConfigurer<XrefConfigurer, HttpSecurity> {

	/**
	 * Creates a configurer that takes the flow's beans from the application context.
	 * @return a new configurer
	 */
	public static XrefConfigurer xref() {
		return new XrefConfigurer();
	}

	@Override
	public void configure(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		XrefCallbackHandler callbackHandler = context.getBean(XrefCallbackHandler.class);
		XrefAuthorizationRequestRedirectFilter redirectFilter = new XrefAuthorizationRequestRedirectFilter(
				new XrefAuthorizationRequestResolver(
						context.getBean(XrefClientRegistrations.BEAN_NAME, ClientRegistration.class)),
				context.getBean(XrefAuthorizationRequestRepository.class), callbackHandler::startFailed);
		redirectFilter.setStartCheck(callbackHandler::checkStart);
		XrefCallbackFilter callbackFilter = new XrefCallbackFilter(callbackHandler);
		http.addFilterAfter(postProcess(redirectFilter), AuthorizationFilter.class);
		http.addFilterAfter(postProcess(callbackFilter), AuthorizationFilter.class);
		http.addFilterBefore(postProcess(new XrefUnreadableCallbackFilter(callbackHandler)),
				DisableEncodeUrlFilter.class);
		XrefNotConnectedHandler notConnectedHandler = context.getBeanProvider(XrefNotConnectedHandler.class)
			.getIfUnique();
		if (notConnectedHandler != null) {
			http.addFilterAfter(postProcess(new XrefNotConnectedFilter(notConnectedHandler)),
					AuthorizationFilter.class);
		}
		context.getBeanProvider(XrefWebhookReceiver.class)
			.ifAvailable(
					(receiver) -> http.addFilterBefore(postProcess(new XrefWebhookFilter(receiver)), CsrfFilter.class));
	}

}
