package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.internal.XrefTokenFilterFunction;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefCallbackHandler;
import io.github.xrefoauth.web.server.JdbcServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.ServerXrefCallbackHandler;
import io.github.xrefoauth.web.server.WebSessionServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.XrefServerHttpSecurityCustomizer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The starter's beans by web application type: a reactive application gets the reactive
 * connect flow and nothing servlet; a servlet application gets only the
 * {@code xrefWebClient} beside its servlet flow.
 */
class XrefReactiveAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private static final AutoConfigurations ALL = AutoConfigurations.of(XrefOAuthAutoConfiguration.class,
			XrefClientAutoConfiguration.class, XrefWebSecurityAutoConfiguration.class,
			XrefReactiveWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
			ReactiveUserDetailsServiceAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class,
			ServletWebSecurityAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(ALL);

	private final WebApplicationContextRunner servletRunner = new WebApplicationContextRunner().withConfiguration(ALL);

	@Test
	void reactiveApplicationGetsTheReactiveFlowAndNothingServlet() {
		this.reactiveRunner.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasSingleBean(WebSessionServerXrefAuthorizationRequestRepository.class)
				.hasSingleBean(ServerXrefCallbackHandler.class)
				.hasSingleBean(XrefConnectManager.class)
				.hasSingleBean(XrefServerHttpSecurityCustomizer.class)
				.hasSingleBean(ReactiveXrefConnectionService.class)
				.hasSingleBean(XrefTokenFilterFunction.class)
				.hasSingleBean(XrefConnectOutcomes.class)
				.hasBean("xrefWebClient");
			assertThat(context.getBean(ServerXrefCallbackHandler.class)).extracting("completion.tokenRevoker")
				.isSameAs(context.getBean(XrefTokenRevoker.class));
			assertThat(context.getBean(ServerXrefCallbackHandler.class)).extracting("completion.outcomes")
				.isSameAs(context.getBean(XrefConnectOutcomes.class));
			assertThat(context).doesNotHaveBean(XrefCallbackHandler.class)
				.doesNotHaveBean(HttpSessionXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(XrefConnectionService.class)
				.doesNotHaveBean("xrefRestClient")
				.doesNotHaveBean("xrefHttpSecurityCustomizer")
				.doesNotHaveBean("inMemoryUserDetailsManager");
		});
	}

	@Test
	void servletApplicationGetsOnlyTheWebClientBesideItsServletFlow() {
		this.servletRunner.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasBean("xrefWebClient")
				.hasBean("xrefRestClient")
				.hasSingleBean(XrefCallbackHandler.class)
				.hasSingleBean(XrefConnectionService.class);
			assertThat(context).doesNotHaveBean(ServerXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(ServerXrefCallbackHandler.class)
				.doesNotHaveBean(XrefServerHttpSecurityCustomizer.class)
				.doesNotHaveBean(ReactiveXrefConnectionService.class);
		});
	}

	@Test
	void servletApplicationWithoutWebFluxGetsNoWebClient() {
		this.servletRunner.withPropertyValues(REQUIRED)
			.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("xrefWebClient")
				.doesNotHaveBean(XrefTokenFilterFunction.class)
				.hasBean("xrefRestClient"));
	}

	@Test
	void disabledStarterAddsNothingAndNeedsNoProperties() {
		this.reactiveRunner.withPropertyValues("xref.oauth.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(XrefOAuthProperties.class)
				.doesNotHaveBean("xrefWebClient")
				.doesNotHaveBean(ServerXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(ServerXrefCallbackHandler.class)
				.doesNotHaveBean(XrefConnectManager.class)
				.doesNotHaveBean(XrefServerHttpSecurityCustomizer.class)
				.doesNotHaveBean(ReactiveXrefConnectionService.class));
		this.servletRunner.withPropertyValues("xref.oauth.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("xrefWebClient")
				.doesNotHaveBean(XrefTokenFilterFunction.class));
	}

	@Test
	void eachMissingRequiredPropertyFailsStartUpOfAReactiveApplicationNamingIt() {
		for (int missing = 0; missing < REQUIRED.length; missing++) {
			String[] properties = REQUIRED.clone();
			String property = properties[missing].substring(0, properties[missing].indexOf('='));
			properties[missing] = property + "=";
			this.reactiveRunner.withPropertyValues(properties).run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidXrefPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains(property, "is not set");
				assertThat(analysis.getAction()).contains("Set " + property, "xref.oauth.enabled=false");
			});
		}
	}

	@Test
	void userBeansWin() {
		ServerXrefAuthorizationRequestRepository repository = mock(ServerXrefAuthorizationRequestRepository.class);
		WebClient webClient = WebClient.create();
		this.reactiveRunner.withPropertyValues(REQUIRED)
			.withBean("userRepository", ServerXrefAuthorizationRequestRepository.class, () -> repository)
			.withBean("xrefWebClient", WebClient.class, () -> webClient)
			.run((context) -> {
				assertThat(context.getBean(ServerXrefAuthorizationRequestRepository.class)).isSameAs(repository);
				assertThat(context.getBean("xrefWebClient")).isSameAs(webClient);
				assertThat(context).doesNotHaveBean(WebSessionServerXrefAuthorizationRequestRepository.class);
			});
	}

	@Test
	void userConnectCompletionWinsAndCompletesTheWebFluxCallback() {
		XrefConnectOutcomes own = new XrefConnectOutcomes();
		this.reactiveRunner.withPropertyValues(REQUIRED)
			.withBean("userCompletion", XrefConnectManager.class,
					() -> XrefOAuthAutoConfigurationTests.userCompletion(own))
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefConnectManager.class).hasBean("userCompletion");
				MockServerWebExchange exchange = MockServerWebExchange
					.from(MockServerHttpRequest.get("/oauth2/authorization/xref"));
				context.getBean(ServerXrefCallbackHandler.class)
					.startFailed(exchange, new IllegalStateException("session store down"))
					.block();
				assertThat(own.failures(XrefConnectFailure.START_FAILED)).isOne();
				assertThat(context.getBean(XrefConnectOutcomes.class).failures(XrefConnectFailure.START_FAILED))
					.isZero();
			});
	}

	@Test
	void connectFlowNeedsNoWebClient() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class,
					XrefReactiveWebSecurityAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.run((context) -> assertThat(context).hasSingleBean(ServerXrefCallbackHandler.class)
				.hasSingleBean(XrefServerHttpSecurityCustomizer.class)
				.doesNotHaveBean("xrefWebClient"));
	}

	@Test
	void filterChainCustomizerCanBeTurnedOff() {
		this.reactiveRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.apply-to-filter-chains=false")
			.run((context) -> assertThat(context).doesNotHaveBean(XrefServerHttpSecurityCustomizer.class)
				.hasSingleBean(ServerXrefCallbackHandler.class));
	}

	@Test
	void callbackPathIsTheRedirectUriPathWithinTheBasePath() {
		this.reactiveRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.redirect-uri=https://platform.example/app/integrations/xref",
					"spring.webflux.base-path=/app/")
			.run((context) -> {
				ServerXrefCallbackHandler handler = context.getBean(ServerXrefCallbackHandler.class);
				assertThat(matches(handler, "/app", "/app/integrations/xref")).isTrue();
				assertThat(matches(handler, "/app", "/app/app/integrations/xref")).isFalse();
			});
		this.reactiveRunner.withPropertyValues(REQUIRED).run((context) -> {
			ServerXrefCallbackHandler handler = context.getBean(ServerXrefCallbackHandler.class);
			assertThat(matches(handler, "", "/integrations/xref")).isTrue();
			assertThat(matches(handler, "", "/integrations/xref/other")).isFalse();
		});
	}

	@Test
	void reactiveApplicationWithADataSourceKeepsPendingConnectsInTheDatabase() {
		this.reactiveRunner.withPropertyValues(REQUIRED)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:reactive-autoconfigure;DB_CLOSE_DELAY=-1",
					"xref.oauth.store.jdbc.encryption.allow-plaintext=true")
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(JdbcServerXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(JdbcXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(WebSessionServerXrefAuthorizationRequestRepository.class));
	}

	private static boolean matches(ServerXrefCallbackHandler handler, String contextPath, String path) {
		MockServerHttpRequest request = MockServerHttpRequest.get(path).contextPath(contextPath).build();
		return Boolean.TRUE.equals(handler.matches(MockServerWebExchange.from(request)).block());
	}

}
