package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.client.XrefConcurrencyLimitFilterFunction;
import io.github.xrefoauth.client.XrefHttpTransport;
import io.github.xrefoauth.client.XrefTokenFilterFunction;
import io.github.xrefoauth.event.XrefEventPublisher;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link AutoConfiguration Auto-configuration} of {@code xrefWebClient}, a
 * {@link WebClient} that calls the Xref Open API with {@code Authorization: Token ...},
 * in any application with spring-webflux on the classpath, and of the
 * {@link ReactiveXrefConnectionService} in a reactive web application.
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass({ WebClient.class, Mono.class })
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefOAuthProperties.class)
public final class XrefWebClientAutoConfiguration {

	/** Name of the {@link WebClient} bean for the Xref Open API. */
	public static final String WEB_CLIENT_BEAN_NAME = "xrefWebClient";

	@Bean
	@ConditionalOnMissingBean
	ReactiveXrefTenantContext reactiveXrefTenantContext(XrefTenantResolver tenantResolver) {
		return new ReactiveXrefTenantContext(tenantResolver);
	}

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
	 * Follows the application's {@code spring.http.clients.*} settings, SSL bundle and
	 * connector type, with {@code xref.oauth.connect-timeout} and {@code read-timeout}
	 * over them, and never follows redirects. Its calls count against
	 * {@code xref.oauth.max-concurrent-calls} with those of {@link XrefHttpTransport}.
	 * Created when first needed.
	 */
	@Bean(WEB_CLIENT_BEAN_NAME)
	@Lazy
	@ConditionalOnMissingBean(name = WEB_CLIENT_BEAN_NAME)
	WebClient xrefWebClient(XrefOAuthProperties properties, XrefTokenFilterFunction tokenFilter,
			XrefHttpTransport transport, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings, ResourceLoader resourceLoader) {
		ClientHttpConnector connector = connectorBuilder
			.getIfAvailable(() -> ClientHttpConnectorBuilder.detect(resourceLoader.getClassLoader()))
			.build(XrefOAuthAutoConfiguration.settings(properties,
					httpClientSettings.getIfAvailable(HttpClientSettings::defaults)));
		return webClientBuilder.getIfAvailable(WebClient::builder)
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
			ReactiveXrefTenantContext tenantContext, @Qualifier(WEB_CLIENT_BEAN_NAME) WebClient xrefWebClient,
			ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
		ReactiveXrefConnectionService service = new ReactiveXrefConnectionService(accountStore, tenantContext,
				xrefWebClient);
		service.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		observationRegistry.ifUnique(service::setObservationRegistry);
		return service;
	}

}
