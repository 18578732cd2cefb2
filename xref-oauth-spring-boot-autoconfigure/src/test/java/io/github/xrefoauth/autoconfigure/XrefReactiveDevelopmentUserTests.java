package io.github.xrefoauth.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * A WebFlux application that relies on Spring Boot's development user keeps it when the
 * starter, and with it Spring Security's OAuth 2 client, is added.
 */
class XrefReactiveDevelopmentUserTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private static final AutoConfigurations USERS = AutoConfigurations.of(
			ReactiveUserDetailsServiceAutoConfiguration.class, XrefOAuthAutoConfiguration.class,
			XrefReactiveWebSecurityAutoConfiguration.class, ReactiveOAuth2ClientAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withPropertyValues(REQUIRED)
		.withConfiguration(USERS);

	@Test
	void generatedDevelopmentUserIsKept() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ReactiveUserDetailsService.class);
			SecurityProperties.User user = context.getBean(SecurityProperties.class).getUser();
			assertThat(user.isPasswordGenerated()).isTrue();
			UserDetails found = context.getBean(ReactiveUserDetailsService.class).findByUsername("user").block();
			assertThat(found).isNotNull();
			assertThat(found.getPassword()).isEqualTo("{noop}" + user.getPassword());
		});
	}

	@Test
	void configuredUserIsKept() {
		this.runner.withPropertyValues("spring.security.user.name=alice", "spring.security.user.password={noop}pw")
			.run((context) -> {
				UserDetails found = context.getBean(ReactiveUserDetailsService.class).findByUsername("alice").block();
				assertThat(found).isNotNull();
				assertThat(found.getPassword()).isEqualTo("{noop}pw");
			});
	}

	@Test
	void backsOffForTheApplicationsOwnUsers() {
		this.runner.withBean("ownUsers", ReactiveUserDetailsService.class, () -> mock(ReactiveUserDetailsService.class))
			.run((context) -> assertThat(context).hasSingleBean(ReactiveUserDetailsService.class).hasBean("ownUsers"));
	}

	@Test
	void backsOffForOAuth2LoginRegistrations() {
		this.runner
			.withPropertyValues("spring.security.oauth2.client.registration.google.client-id=g",
					"spring.security.oauth2.client.registration.google.client-secret=s")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveUserDetailsService.class));
	}

	@Test
	void disabledStarterAddsNoUser() {
		this.runner.withPropertyValues("xref.oauth.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveUserDetailsService.class));
	}

	@Test
	void servletApplicationGetsNoReactiveUser() {
		new WebApplicationContextRunner().withPropertyValues(REQUIRED)
			.withConfiguration(USERS)
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveUserDetailsService.class));
	}

}
