package io.github.xrefoauth.autoconfigure;

import java.time.Duration;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.internal.ReactiveXrefRateLimitStatusHandler;
import io.github.xrefoauth.client.internal.XrefConcurrencyLimitFilterFunction;
import io.github.xrefoauth.client.internal.XrefHttpServiceGroupConfigurer;
import io.github.xrefoauth.client.internal.XrefHttpTransport;
import io.github.xrefoauth.client.internal.XrefRateLimitStatusHandler;
import io.github.xrefoauth.client.internal.XrefTokenFilterFunction;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.internal.XrefEventPublisher;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The configurations that {@link XrefClientAutoConfiguration} imports, one per kind of
 * client.
 */
final class XrefClientConfigurations {

	private XrefClientConfigurations() {
	}

	/**
	 * {@code xrefRestClient} and the {@link XrefConnectionService}: blocking clients have
	 * no place in a reactive web application.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnNotReactiveWebApplicationCondition.class)
	static class RestClientConfiguration {

		private static final String CUSTOMIZER_CLASS_NAME = "org.springframework.boot.restclient.RestClientCustomizer";

		@Bean
		@Lazy
		@ConditionalOnMissingBean
		XrefTokenInterceptor xrefTokenInterceptor(XrefOAuthProperties properties, XrefAccountStore accountStore,
				XrefTenantContext tenantContext, ApplicationEventPublisher eventPublisher) {
			XrefTokenInterceptor interceptor = new XrefTokenInterceptor(accountStore, tenantContext,
					properties.getApiUri());
			interceptor.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			return interceptor;
		}

		/**
		 * The application's {@code RestClientCustomizer}s apply. Boot's
		 * {@code RestClient.Builder} is not used: it creates an HTTP client at once, and
		 * this one uses the shared {@link XrefHttpTransport}, created on the first call.
		 * The client itself is created when first needed: a {@code RestClient} sets up
		 * its message converters.
		 */
		@Bean(XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME)
		@Lazy
		@ConditionalOnMissingBean(name = XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME)
		RestClient xrefRestClient(XrefOAuthProperties properties, XrefTokenInterceptor tokenInterceptor,
				XrefHttpTransport transport, ListableBeanFactory beanFactory) {
			RestClient.Builder builder = RestClient.builder();
			if (ClassUtils.isPresent(CUSTOMIZER_CLASS_NAME, RestClientConfiguration.class.getClassLoader())) {
				Customizers.apply(beanFactory, builder);
			}
			return XrefRateLimitStatusHandler.register(builder)
				.baseUrl(properties.getApiUri())
				.requestFactory(transport.requestFactory())
				.requestInterceptor(tokenInterceptor)
				.build();
		}

		@Bean
		@Lazy
		@ConditionalOnMissingBean
		XrefConnectionService xrefConnectionService(XrefAccountStore accountStore, XrefTenantContext tenantContext,
				@Lazy @Qualifier(XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME) RestClient xrefRestClient,
				ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
			XrefConnectionService service = new XrefConnectionService(accountStore, tenantContext, xrefRestClient);
			service.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			observationRegistry.ifUnique(service::setObservationRegistry);
			return service;
		}

		/**
		 * Kept apart so that {@code RestClientCustomizer} is loaded only when present.
		 */
		private static final class Customizers {

			static void apply(ListableBeanFactory beanFactory, RestClient.Builder builder) {
				beanFactory.getBeanProvider(RestClientCustomizer.class)
					.orderedStream()
					.forEach((customizer) -> customizer.customize(builder));
			}

		}

	}

	/**
	 * The HTTP service group {@code xref}: interfaces imported with
	 * {@code @ImportHttpServices(group = "xref", ...)} call the Xref API as
	 * {@code xrefRestClient} does.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
	static class HttpServiceGroupConfiguration {

		/**
		 * Checks the base URL at start-up; the interceptor and the transport are taken
		 * when the group's client is configured.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "xrefHttpServiceGroupConfigurer")
		XrefHttpServiceGroupConfigurer xrefHttpServiceGroupConfigurer(XrefOAuthProperties properties,
				ObjectProvider<XrefTokenInterceptor> tokenInterceptor, ObjectProvider<XrefHttpTransport> transport,
				Environment environment) {
			return new XrefHttpServiceGroupConfigurer(tokenInterceptor::getObject,
					() -> transport.getObject().requestFactory(),
					XrefOAuthSettings.serviceClientBaseUrl(properties, environment));
		}

	}

	/**
	 * {@code xrefWebClient} in any application with spring-webflux on the classpath, and
	 * the {@link ReactiveXrefConnectionService} in a reactive web application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, Mono.class })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefTokenFilterFunction xrefTokenExchangeFilterFunction(XrefOAuthProperties properties,
				XrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
				ObjectProvider<XrefTenantContext> servletTenantContext, ApplicationEventPublisher eventPublisher) {
			XrefTokenFilterFunction filter = new XrefTokenFilterFunction(accountStore, tenantContext,
					servletTenantContext.getIfUnique(), properties.getApiUri());
			filter.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			return filter;
		}

		/**
		 * Follows the application's {@code spring.http.clients.*} settings, SSL bundle
		 * and connector type, with {@code xref.oauth.connect-timeout} and
		 * {@code read-timeout} over them, and never follows redirects. Its calls count
		 * against {@code xref.oauth.max-concurrent-calls} with those of
		 * {@link XrefHttpTransport}. Created when first needed.
		 */
		@Bean(XrefClientAutoConfiguration.WEB_CLIENT_BEAN_NAME)
		@Lazy
		@ConditionalOnMissingBean(name = XrefClientAutoConfiguration.WEB_CLIENT_BEAN_NAME)
		WebClient xrefWebClient(XrefOAuthProperties properties, XrefTokenFilterFunction tokenFilter,
				XrefHttpTransport transport, ObjectProvider<WebClient.Builder> webClientBuilder,
				ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
				ObjectProvider<HttpClientSettings> httpClientSettings, ResourceLoader resourceLoader) {
			ClientHttpConnector connector = connectorBuilder
				.getIfAvailable(() -> ClientHttpConnectorBuilder.detect(resourceLoader.getClassLoader()))
				.build(XrefOAuthSettings.httpClientSettings(properties,
						httpClientSettings.getIfAvailable(HttpClientSettings::defaults)));
			return ReactiveXrefRateLimitStatusHandler.register(webClientBuilder.getIfAvailable(WebClient::builder))
				.baseUrl(properties.getApiUri())
				.clientConnector(connector)
				.filter(tokenFilter)
				.filter(new XrefConcurrencyLimitFilterFunction(transport))
				.build();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnWebApplication(type = Type.REACTIVE)
		ReactiveXrefConnectionService reactiveXrefConnectionService(XrefAccountStore accountStore,
				ReactiveXrefTenantContext tenantContext,
				@Qualifier(XrefClientAutoConfiguration.WEB_CLIENT_BEAN_NAME) WebClient xrefWebClient,
				ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
			ReactiveXrefConnectionService service = new ReactiveXrefConnectionService(accountStore, tenantContext,
					xrefWebClient);
			service.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			observationRegistry.ifUnique(service::setObservationRegistry);
			return service;
		}

	}

	/**
	 * The scheduled health check, when {@code xref.oauth.health-check.interval} is set.
	 * It calls Xref through the shared {@link XrefHttpTransport}, within
	 * {@code xref.oauth.max-concurrent-calls}, with a client of its own: a {@code 401} to
	 * the health check is handled by the health check, not by
	 * {@link XrefTokenInterceptor}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "xref.oauth.health-check.interval")
	static class HealthCheckConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefHealthCheck xrefHealthCheck(XrefOAuthProperties properties, XrefAccountStore accountStore,
				XrefHttpTransport transport, ApplicationEventPublisher eventPublisher,
				ObjectProvider<ObservationRegistry> observationRegistry) {
			XrefOAuthProperties.HealthCheck settings = properties.getHealthCheck();
			Duration interval = settings.getInterval();
			Assert.state(interval != null, "xref.oauth.health-check.interval is not set");
			RestClient restClient = RestClient.builder()
				.baseUrl(properties.getApiUri())
				.requestFactory(transport.requestFactory())
				.build();
			XrefHealthCheck healthCheck = new XrefHealthCheck(accountStore, restClient, interval,
					settings.getMaxRate());
			healthCheck.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
			observationRegistry.ifUnique(healthCheck::setObservationRegistry);
			return healthCheck;
		}

	}

	/**
	 * Matches a servlet web application and an application that is not a web application
	 * at all.
	 */
	static class OnNotReactiveWebApplicationCondition extends NoneNestedConditions {

		OnNotReactiveWebApplicationCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnWebApplication(type = Type.REACTIVE)
		static class Reactive {

		}

	}

}
