package io.github.xrefoauth.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientManager;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientService;
import io.github.xrefoauth.client.internal.XrefHttpServiceGroupConfigurer;
import io.github.xrefoauth.web.DefaultXrefNotConnectedHandler;
import io.github.xrefoauth.web.XrefNotConnectedHandler;
import io.github.xrefoauth.web.XrefOAuth2AuthorizedClientRepository;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class XrefAuthorizedClientAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private static final String GOOGLE = "spring.security.oauth2.client.registration.google.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class,
				XrefWebSecurityAutoConfiguration.class, XrefAuthorizedClientAutoConfiguration.class,
				OAuth2ClientAutoConfiguration.class, OAuth2ClientWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues(REQUIRED);

	@Test
	void withoutRegistrationsOfItsOwnTheAppGetsTheContractButNoRegistrationsAndNoOAuth2Login() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(XrefAuthorizedClients.class)
				.hasSingleBean(XrefOAuth2AuthorizedClientManager.class)
				.hasSingleBean(XrefOAuth2AuthorizedClientService.class)
				.hasSingleBean(XrefOAuth2AuthorizedClientRepository.class)
				.doesNotHaveBean(ClientRegistrationRepository.class)
				.doesNotHaveBean("oauth2SecurityFilterChain")
				.hasSingleBean(DefaultXrefNotConnectedHandler.class)
				.hasSingleBean(XrefHttpServiceGroupConfigurer.class);
			assertThat(context.getBean(SecurityFilterChain.class).getFilters())
				.noneMatch((filter) -> filter.getClass().getSimpleName().startsWith("OAuth2"));
		});
	}

	@Test
	void besideRegistrationPropertiesSpringBootsOwnBeansAreReplacedOnce() {
		this.contextRunner
			.withPropertyValues(GOOGLE + "client-id=google-client", GOOGLE + "client-secret=google-secret")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClientRegistrationRepository.class)
					.hasSingleBean(OAuth2AuthorizedClientService.class)
					.hasSingleBean(OAuth2AuthorizedClientRepository.class)
					.hasSingleBean(OAuth2AuthorizedClientManager.class)
					.hasBean("oauth2SecurityFilterChain");
				assertThat(context.getBean(OAuth2AuthorizedClientService.class))
					.isInstanceOf(XrefOAuth2AuthorizedClientService.class);
				assertThat(context.getBean(OAuth2AuthorizedClientRepository.class))
					.isInstanceOf(XrefOAuth2AuthorizedClientRepository.class);
			});
	}

	@Test
	void anAuthorizedClientServiceOfTheAppsOwnIsKeptAndTheRepositoryUsesIt() {
		this.contextRunner
			.withPropertyValues(GOOGLE + "client-id=google-client", GOOGLE + "client-secret=google-secret")
			.withUserConfiguration(OwnServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(OAuth2AuthorizedClientService.class)
					.hasBean("ownAuthorizedClientService")
					.doesNotHaveBean(XrefOAuth2AuthorizedClientService.class)
					.hasSingleBean(XrefOAuth2AuthorizedClientRepository.class);
				OAuth2AuthorizedClientService own = context.getBean(OAuth2AuthorizedClientService.class);
				OAuth2AuthorizedClientRepository repository = context.getBean(OAuth2AuthorizedClientRepository.class);
				ClientRegistration google = context.getBean(ClientRegistrationRepository.class)
					.findByRegistrationId("google");
				Authentication alice = new TestingAuthenticationToken("alice", null, "ROLE_USER");
				Authentication bob = new TestingAuthenticationToken("bob", null, "ROLE_USER");
				MockHttpServletRequest request = new MockHttpServletRequest();
				MockHttpServletResponse response = new MockHttpServletResponse();

				OAuth2AuthorizedClient alicesClient = authorizedClient(google, "alice", "google-token-of-alice");
				repository.saveAuthorizedClient(alicesClient, alice, request, response);
				assertThat(tokenOf(own.loadAuthorizedClient("google", "alice"))).isEqualTo("google-token-of-alice");

				OAuth2AuthorizedClient bobsClient = authorizedClient(google, "bob", "google-token-of-bob");
				own.saveAuthorizedClient(bobsClient, bob);
				assertThat(tokenOf(repository.loadAuthorizedClient("google", bob, request)))
					.isEqualTo("google-token-of-bob");

				repository.removeAuthorizedClient("google", alice, request, response);
				assertThat(own.<OAuth2AuthorizedClient>loadAuthorizedClient("google", "alice")).isNull();
			});
	}

	@Test
	void aManagerOfTheAppsOwnMakesOursBackOff() {
		this.contextRunner
			.withBean("ownManager", OAuth2AuthorizedClientManager.class,
					() -> mock(OAuth2AuthorizedClientManager.class))
			.run((context) -> assertThat(context).hasSingleBean(OAuth2AuthorizedClientManager.class)
				.doesNotHaveBean(XrefOAuth2AuthorizedClientManager.class));
	}

	@Test
	void aNotConnectedHandlerOfTheAppsOwnReplacesTheDefaultOne() {
		XrefNotConnectedHandler own = (request, response, exception) -> response.setStatus(418);
		this.contextRunner.withBean("ownNotConnectedHandler", XrefNotConnectedHandler.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(DefaultXrefNotConnectedHandler.class)
				.getBean(XrefNotConnectedHandler.class)
				.isSameAs(own));
	}

	@Test
	void notConnectedHandlingTurnsOffWithItsProperty() {
		this.contextRunner.withPropertyValues("xref.oauth.not-connected-handling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(XrefNotConnectedHandler.class));
	}

	@Test
	void disabledStarterAddsNoneOfIt() {
		this.contextRunner.withPropertyValues("xref.oauth.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(XrefAuthorizedClients.class)
				.doesNotHaveBean(OAuth2AuthorizedClientManager.class)
				.doesNotHaveBean(OAuth2AuthorizedClientService.class)
				.doesNotHaveBean(XrefNotConnectedHandler.class)
				.doesNotHaveBean(XrefHttpServiceGroupConfigurer.class));
	}

	@Test
	void serviceClientBaseUrlOnAnotherOriginFailsStartUpNamingIt() {
		this.contextRunner.withPropertyValues("spring.http.serviceclient.xref.base-url=https://evil.example/")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("spring.http.serviceclient.xref.base-url",
						"origin of xref.oauth.api-uri");
				assertThat(analysis.getAction()).contains("Set spring.http.serviceclient.xref.base-url");
			});
	}

	@Test
	void serviceClientBaseUrlOnTheApiOriginIsKept() {
		this.contextRunner
			.withPropertyValues("spring.http.serviceclient.xref.base-url=https://api-open.xref.com:443/v2")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(XrefHttpServiceGroupConfigurer.class));
	}

	private static @Nullable String tokenOf(@Nullable OAuth2AuthorizedClient client) {
		return (client != null) ? client.getAccessToken().getTokenValue() : null;
	}

	private static OAuth2AuthorizedClient authorizedClient(ClientRegistration registration, String principalName,
			String token) {
		Instant issuedAt = Instant.parse("2026-03-01T08:00:00Z");
		return new OAuth2AuthorizedClient(registration, principalName, new OAuth2AccessToken(
				OAuth2AccessToken.TokenType.BEARER, token, issuedAt, issuedAt.plus(Duration.ofHours(1))));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnServiceConfiguration {

		@Bean
		InMemoryOAuth2AuthorizedClientService ownAuthorizedClientService(ClientRegistrationRepository registrations) {
			return new InMemoryOAuth2AuthorizedClientService(registrations);
		}

	}

}
