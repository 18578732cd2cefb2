package io.github.xrefoauth.autoconfigure;

import java.util.List;

import io.github.xrefoauth.web.server.DefaultServerXrefNotConnectedHandler;
import io.github.xrefoauth.web.server.ServerXrefNotConnectedHandler;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reactive application gets the not-connected web filter in the chains built from
 * {@code ServerHttpSecurity}, as a servlet application gets it from
 * {@code XrefConfigurer}.
 */
class XrefReactiveNotConnectedAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class,
				XrefReactiveWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class))
		.withPropertyValues("xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
				"xref.oauth.redirect-uri=https://platform.example/integrations/xref");

	@Test
	void chainsAnswerTenantsWithoutConnection() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultServerXrefNotConnectedHandler.class);
			assertThat(filterNames(context)).contains("XrefNotConnectedWebFilter");
		});
	}

	@Test
	void notConnectedHandlingCanBeTurnedOff() {
		this.runner.withPropertyValues("xref.oauth.not-connected-handling.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ServerXrefNotConnectedHandler.class);
			assertThat(filterNames(context)).contains("XrefCallbackWebFilter")
				.doesNotContain("XrefNotConnectedWebFilter");
		});
	}

	@Test
	void applicationsOwnHandlerReplacesTheDefault() {
		ServerXrefNotConnectedHandler own = (exchange, exception) -> Mono.empty();
		this.runner.withBean("ownHandler", ServerXrefNotConnectedHandler.class, () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean(DefaultServerXrefNotConnectedHandler.class);
			assertThat(filterNames(context)).contains("XrefNotConnectedWebFilter");
		});
	}

	private static List<String> filterNames(AssertableReactiveWebApplicationContext context) {
		List<WebFilter> filters = context.getBean(ServerHttpSecurity.class)
			.build()
			.getWebFilters()
			.collectList()
			.block();
		return filters.stream().map((filter) -> filter.getClass().getSimpleName()).toList();
	}

}
