package io.github.xrefoauth.autoconfigure;

import java.io.IOException;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.internal.RestClientXrefTokenClient;
import io.github.xrefoauth.internal.RestClientXrefTokenRevoker;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefCallbackHandler;
import io.github.xrefoauth.web.XrefExcludingAuthorizationRequestResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class XrefOAuthAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class,
				XrefWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class));

	@Test
	void requiredPropertiesConfigureTheXrefRegistration() {
		this.contextRunner.withPropertyValues(REQUIRED).run((context) -> {
			ClientRegistration registration = context.getBean("xrefClientRegistration", ClientRegistration.class);
			assertThat(registration.getRegistrationId()).isEqualTo("xref");
			assertThat(registration.getProviderDetails().getAuthorizationUri())
				.isEqualTo("https://login.xref.com/oauth/open-api/client-1");
			assertThat(registration.getProviderDetails().getTokenUri())
				.isEqualTo("https://api-open.xref.com/oauth/tokens");
			assertThat(registration.getClientSettings().isRequireProofKey()).isFalse();
			assertThat(context).hasSingleBean(InMemoryXrefAccountStore.class)
				.hasSingleBean(RestClientXrefTokenClient.class)
				.hasSingleBean(XrefTokenInterceptor.class)
				.hasSingleBean(XrefConnectionService.class)
				.hasBean("xrefRestClient");
		});
	}

	@Test
	void eachMissingRequiredPropertyFailsStartUpNamingIt() {
		for (int missing = 0; missing < REQUIRED.length; missing++) {
			String[] properties = REQUIRED.clone();
			String property = properties[missing].substring(0, properties[missing].indexOf('='));
			properties[missing] = property + "=";
			this.contextRunner.withPropertyValues(properties).run((context) -> {
				assertThat(context).hasFailed();
				InvalidXrefPropertyException failure = findCause(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo(property);
				FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(property, "is not set");
				assertThat(analysis.getAction()).contains("Set " + property, "xref.oauth.enabled=false");
			});
		}
	}

	@Test
	void redirectUriThatIsNotAnAbsoluteUrlFailsStartUp() {
		this.contextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.redirect-uri=/integrations/xref")
			.run((context) -> {
				FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("xref.oauth.redirect-uri is not an absolute http(s) URL (it is '/integrations/xref')");
			});
	}

	@Test
	void baseUrlWithAQueryOrFragmentFailsStartUpNamingIt() {
		for (String property : new String[] { "xref.oauth.login-uri", "xref.oauth.api-uri" }) {
			for (String url : new String[] { "https://xref.example?tenant=1", "https://xref.example/base#top" }) {
				this.contextRunner.withPropertyValues(REQUIRED)
					.withPropertyValues(property + "=" + url)
					.run((context) -> {
						FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
							.analyze(context.getStartupFailure());
						assertThat(analysis.getDescription()).contains(property, "has a query or fragment");
					});
			}
		}
	}

	@Test
	void failureAnalysisNeverShowsTheClientSecret() {
		this.contextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.client-secret=very-secret", "xref.oauth.api-uri=not a url")
			.run((context) -> {
				FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.api-uri").doesNotContain("very-secret");
			});
	}

	@Test
	void disabledStarterAddsNothingAndNeedsNoProperties() {
		this.contextRunner.withPropertyValues("xref.oauth.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(XrefAccountStore.class)
				.doesNotHaveBean(XrefTokenClient.class)
				.doesNotHaveBean("xrefRestClient");
		});
	}

	@Test
	void disabledStarterAddsNothingBesideAUserStore() {
		this.webContextRunner.withPropertyValues("xref.oauth.enabled=false")
			.withUserConfiguration(UserBeans.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(XrefTokenInterceptor.class)
				.doesNotHaveBean(XrefConnectionService.class)
				.doesNotHaveBean(XrefCallbackHandler.class)
				.doesNotHaveBean("xrefHttpSecurityCustomizer"));
	}

	@Test
	void redirectUriWithoutAPathOfItsOwnFailsStartUp() {
		for (String redirectUri : new String[] { "https://platform.example", "https://platform.example/" }) {
			this.contextRunner.withPropertyValues(REQUIRED)
				.withPropertyValues("xref.oauth.redirect-uri=" + redirectUri)
				.run((context) -> assertThat(findCause(context.getStartupFailure()).getProperty())
					.isEqualTo("xref.oauth.redirect-uri"));
		}
	}

	@Test
	void successOrFailureUrlOnTheCallbackPathFailsStartUp() {
		for (String property : new String[] { "xref.oauth.success-url", "xref.oauth.failure-url" }) {
			this.contextRunner.withPropertyValues(REQUIRED)
				.withPropertyValues(property + "=/integrations/xref")
				.run((context) -> {
					FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains(property, "is the callback path");
					assertThat(analysis.getAction()).contains("other than the callback");
				});
		}
	}

	@Test
	void withoutSpringSecurityOAuth2ClientTheStarterBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ClientRegistration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(XrefAccountStore.class));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withPropertyValues(REQUIRED).withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(XrefAccountStore.class)).isSameAs(context.getBean("userStore"));
			assertThat(context.getBean(XrefTokenClient.class)).isSameAs(context.getBean("userTokenClient"));
			assertThat(context.getBean(XrefTenantResolver.class)).isSameAs(context.getBean("userTenants"));
			assertThat(context.getBean("xrefRestClient")).isSameAs(context.getBean(UserBeans.class).restClient);
			assertThat(context).doesNotHaveBean(InMemoryXrefAccountStore.class);
		});
	}

	@Test
	void webSecurityPartNeedsAServletApplication() {
		this.contextRunner.withPropertyValues(REQUIRED)
			.withConfiguration(AutoConfigurations.of(XrefWebSecurityAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(XrefCallbackHandler.class)
				.doesNotHaveBean(XrefConnectManager.class));
	}

	@Test
	void servletApplicationGetsTheConnectFlow() {
		this.webContextRunner.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasSingleBean(HttpSessionXrefAuthorizationRequestRepository.class)
				.hasSingleBean(XrefCallbackHandler.class)
				.hasSingleBean(XrefConnectManager.class)
				.hasBean("xrefHttpSecurityCustomizer")
				.doesNotHaveBean(OAuth2AuthorizationRequestResolver.class);
		});
	}

	@Test
	void callbackPathIsTheRedirectUriPathWithinTheApplication() {
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.redirect-uri=https://platform.example/app/integrations/xref",
					"server.servlet.context-path=/app/")
			.run((context) -> {
				XrefCallbackHandler handler = context.getBean(XrefCallbackHandler.class);
				assertThat(handler.matches(request("/app", "/integrations/xref"))).isTrue();
				assertThat(handler.matches(request("/app", "/app/integrations/xref"))).isFalse();
			});
		this.webContextRunner.withPropertyValues(REQUIRED).run((context) -> {
			XrefCallbackHandler handler = context.getBean(XrefCallbackHandler.class);
			assertThat(handler.matches(request("", "/integrations/xref"))).isTrue();
			assertThat(handler.matches(request("", "/integrations/xref/other"))).isFalse();
		});
	}

	@Test
	void callbackHandlerCountsInTheConnectOutcomesBeanAndAUserBeanWins() {
		this.webContextRunner.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasSingleBean(XrefConnectOutcomes.class);
			headCallback(context.getBean(XrefCallbackHandler.class));
			assertThat(context.getBean(XrefConnectOutcomes.class).failures(XrefConnectFailure.INVALID_REQUEST))
				.isEqualTo(1);
		});
		XrefConnectOutcomes own = new XrefConnectOutcomes();
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withBean("ownOutcomes", XrefConnectOutcomes.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefConnectOutcomes.class);
				headCallback(context.getBean(XrefCallbackHandler.class));
				assertThat(own.failures(XrefConnectFailure.INVALID_REQUEST)).isEqualTo(1);
			});
	}

	@Test
	void userConnectCompletionWinsAndCompletesTheServletCallback() {
		XrefConnectOutcomes own = new XrefConnectOutcomes();
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withBean("userCompletion", XrefConnectManager.class, () -> userCompletion(own))
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefConnectManager.class).hasBean("userCompletion");
				headCallback(context.getBean(XrefCallbackHandler.class));
				assertThat(own.failures(XrefConnectFailure.INVALID_REQUEST)).isOne();
				assertThat(context.getBean(XrefConnectOutcomes.class).failures(XrefConnectFailure.INVALID_REQUEST))
					.isZero();
			});
	}

	/**
	 * A connect completion of the application's own, counting in its own outcomes.
	 */
	static XrefConnectManager userCompletion(XrefConnectOutcomes outcomes) {
		XrefConnectManager completion = new XrefConnectManager(mock(XrefTokenClient.class),
				new InMemoryXrefAccountStore());
		completion.setConnectOutcomes(outcomes);
		return completion;
	}

	private static void headCallback(XrefCallbackHandler handler) throws IOException {
		MockHttpServletRequest request = request("", "/integrations/xref");
		request.setMethod("HEAD");
		MockHttpServletResponse response = new MockHttpServletResponse();
		handler.handle(request, response);
		assertThat(response.getStatus()).isEqualTo(405);
	}

	@Test
	void filterChainCustomizerCanBeTurnedOff() {
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.apply-to-filter-chains=false")
			.run((context) -> assertThat(context).doesNotHaveBean("xrefHttpSecurityCustomizer")
				.hasSingleBean(XrefCallbackHandler.class));
	}

	@Test
	void userAuthorizationRequestRepositoryWins() {
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withUserConfiguration(UserRepository.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefAuthorizationRequestRepository.class)
					.doesNotHaveBean(HttpSessionXrefAuthorizationRequestRepository.class);
			});
	}

	@Test
	void applicationOAuth2RegistrationsGetAResolverThatLeavesXrefAlone() {
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("spring.security.oauth2.client.registration.google.client-id=g",
					"spring.security.oauth2.client.registration.google.client-secret=s")
			.withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(OAuth2AuthorizationRequestResolver.class)
				.getBean(OAuth2AuthorizationRequestResolver.class)
				.isInstanceOf(XrefExcludingAuthorizationRequestResolver.class));
	}

	@Test
	void developmentUserIsKeptOnlyWhereSpringBootWouldHaveMadeIt() {
		WebApplicationContextRunner runner = this.webContextRunner.withPropertyValues(REQUIRED)
			.withConfiguration(AutoConfigurations.of(UserDetailsServiceAutoConfiguration.class,
					OAuth2ClientAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(UserDetailsService.class));
		runner.withUserConfiguration(UserRepository.class)
			.withBean("ownUsers", UserDetailsService.class, () -> mock(UserDetailsService.class))
			.run((context) -> assertThat(context).hasSingleBean(UserDetailsService.class).hasBean("ownUsers"));
		runner
			.withPropertyValues("spring.security.oauth2.client.registration.google.client-id=g",
					"spring.security.oauth2.client.registration.google.client-secret=s")
			.run((context) -> assertThat(context).doesNotHaveBean(UserDetailsService.class));
		runner.withPropertyValues("xref.oauth.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UserDetailsService.class));
	}

	@Test
	void applicationResolverIsNotReplaced() {
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("spring.security.oauth2.client.registration.google.client-id=g",
					"spring.security.oauth2.client.registration.google.client-secret=s")
			.withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class))
			.withBean("userResolver", OAuth2AuthorizationRequestResolver.class,
					() -> mock(OAuth2AuthorizationRequestResolver.class))
			.run((context) -> assertThat(context).hasSingleBean(OAuth2AuthorizationRequestResolver.class)
				.hasBean("userResolver"));
	}

	@Test
	void tokenRevokerPostsToTheApiUriAndBacksOffToAUserBean() {
		this.webContextRunner.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasSingleBean(RestClientXrefTokenRevoker.class);
			assertThat(context.getBean(XrefCallbackHandler.class)).extracting("completion.tokenRevoker")
				.isSameAs(context.getBean(XrefTokenRevoker.class));
		});
		this.webContextRunner.withPropertyValues(REQUIRED)
			.withBean("userRevoker", XrefTokenRevoker.class, () -> (token) -> {
			})
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RestClientXrefTokenRevoker.class);
				assertThat(context.getBean(XrefCallbackHandler.class)).extracting("completion.tokenRevoker")
					.isSameAs(context.getBean("userRevoker"));
			});
	}

	private static MockHttpServletRequest request(String contextPath, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", contextPath + path);
		request.setContextPath(contextPath);
		return request;
	}

	private static InvalidXrefPropertyException findCause(Throwable failure) {
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof InvalidXrefPropertyException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("InvalidXrefPropertyException in %s", failure).isNotNull();
		return (InvalidXrefPropertyException) candidate;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final RestClient restClient = RestClient.create();

		@Bean
		XrefAccountStore userStore() {
			return mock(XrefAccountStore.class);
		}

		@Bean
		XrefTokenClient userTokenClient() {
			return mock(XrefTokenClient.class);
		}

		@Bean
		XrefTenantResolver userTenants() {
			return (authentication) -> "tenant";
		}

		@Bean
		RestClient xrefRestClient() {
			return this.restClient;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRepository {

		@Bean
		XrefAuthorizationRequestRepository userRepository() {
			return mock(XrefAuthorizationRequestRepository.class);
		}

	}

}
