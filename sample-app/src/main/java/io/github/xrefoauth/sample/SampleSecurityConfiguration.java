package io.github.xrefoauth.sample;

import java.util.ArrayList;
import java.util.List;

import io.github.xrefoauth.account.XrefTenantResolver;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.filter.RelativeRedirectFilter;

/**
 * Form login for the demo's end users and its operator. The Xref starter adds its connect
 * and callback filters to this chain by itself. Only the operator reads the Actuator
 * endpoints other than health (the {@code xref} endpoint counts across all tenants) and
 * runs a health round of all connections.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	/** The password of every demo user. */
	static final String DEMO_PASSWORD = "password";

	/** The demo's operator: belongs to no tenant, reads the Actuator endpoints. */
	static final String OPERATOR = "operator";

	/** The role that reads the Actuator endpoints. */
	static final String OPERATOR_ROLE = "OPERATOR";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		SavedRequestAwareAuthenticationSuccessHandler loginSuccess = new SavedRequestAwareAuthenticationSuccessHandler();
		loginSuccess.setRedirectStrategy(new PathOnlyRedirectStrategy());
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
			.authenticated()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.hasRole(OPERATOR_ROLE)
			.requestMatchers("/operations/**")
			.hasRole(OPERATOR_ROLE)
			.anyRequest()
			.authenticated())
			.formLogin((login) -> login.successHandler(loginSuccess))
			.logout(Customizer.withDefaults());
		SecurityFilterChain chain = http.build();
		// The cache that saved the page before the login, with Spring Security's defaults
		// (no favicon, no XHR).
		loginSuccess.setRequestCache(http.getSharedObject(RequestCache.class));
		return chain;
	}

	/**
	 * Sends every redirect with the {@code Location} as given instead of letting the
	 * servlet container make a path absolute with the request's {@code Host} header,
	 * which anyone can forge. Runs before Spring Security's filters, so it covers the
	 * login page redirect, login and logout success, the starter's redirects and the
	 * dashboard's.
	 */
	@Bean
	FilterRegistrationBean<RelativeRedirectFilter> relativeRedirectFilter() {
		RelativeRedirectFilter filter = new RelativeRedirectFilter();
		filter.setRedirectStatus(HttpStatus.FOUND);
		FilterRegistrationBean<RelativeRedirectFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		List<UserDetails> users = new ArrayList<>();
		// Demo only: a plain-text password that the README publishes.
		for (String username : SampleTenants.users()) {
			users.add(User.withUsername(username).password("{noop}" + DEMO_PASSWORD).roles("USER").build());
		}
		users.add(User.withUsername(OPERATOR).password("{noop}" + DEMO_PASSWORD).roles(OPERATOR_ROLE).build());
		return new InMemoryUserDetailsManager(users);
	}

	/**
	 * Maps the demo's end users to their tenants; the operator belongs to none, so it can
	 * neither connect nor call Xref.
	 * @return the resolver
	 */
	@Bean
	XrefTenantResolver xrefTenantResolver() {
		return (authentication) -> SampleTenants.tenantOf(authentication.getName()).orElse(null);
	}

}
