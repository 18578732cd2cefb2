package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.internal.XrefHttpTransport;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.internal.RestClientXrefTokenClient;
import io.github.xrefoauth.internal.RestClientXrefTokenRevoker;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.web.client.RestClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the core of the Xref OAuth starter,
 * which the starter's other auto-configurations build on: the {@code xref.oauth.*}
 * properties, the Xref registration, the token exchange and revocation, the transport of
 * every call to Xref, the tenant mapping of both web stacks, the connect outcomes and the
 * in-memory account store. {@code xref.oauth.enabled=false} turns it off, and with it the
 * whole starter.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration" })
@ConditionalOnClass({ ClientRegistration.class, RestClient.class })
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@EnableConfigurationProperties(XrefOAuthProperties.class)
public final class XrefOAuthAutoConfiguration {

	@Bean(XrefClientRegistrations.BEAN_NAME)
	@ConditionalOnMissingBean(name = XrefClientRegistrations.BEAN_NAME)
	ClientRegistration xrefClientRegistration(XrefOAuthProperties properties) {
		XrefOAuthSettings.warnIfNotHttps(String.valueOf(properties.getRedirectUri()));
		return XrefClientRegistrations.create(properties.getClientId(), properties.getClientSecret(),
				properties.getRedirectUri(), properties.getLoginUri(), properties.getApiUri());
	}

	@Bean
	@ConditionalOnMissingBean
	XrefTenantResolver xrefTenantResolver() {
		return XrefTenantResolver.principalName();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefTenantContext xrefTenantContext(XrefTenantResolver tenantResolver,
			ObjectProvider<SecurityContextHolderStrategy> securityContextHolderStrategy) {
		XrefTenantContext tenantContext = new XrefTenantContext(tenantResolver);
		securityContextHolderStrategy.ifUnique(tenantContext::setSecurityContextHolderStrategy);
		return tenantContext;
	}

	/**
	 * Counts connects and their failures per reason code, for the web flow of either
	 * stack and the {@code xref} Actuator endpoint.
	 */
	@Bean
	@ConditionalOnMissingBean
	XrefConnectOutcomes xrefConnectOutcomes() {
		return new XrefConnectOutcomes();
	}

	/**
	 * Without a store of the application's or the JDBC store, connections are kept in
	 * memory, unless {@code xref.oauth.store.type} is {@code jdbc}: then start-up fails
	 * naming what the JDBC store lacks.
	 */
	@Bean
	@ConditionalOnMissingBean(XrefAccountStore.class)
	InMemoryXrefAccountStore xrefAccountStore(XrefOAuthProperties properties, ListableBeanFactory beanFactory,
			ResourceLoader resourceLoader) {
		if (properties.getStore().getType() == XrefOAuthProperties.StoreType.JDBC) {
			throw XrefJdbcStoreConfigurationException.noJdbcStore(beanFactory, resourceLoader.getClassLoader());
		}
		return new InMemoryXrefAccountStore();
	}

	/**
	 * One transport for every call to Xref, created on the first call. It follows the
	 * application's {@code spring.http.clients.*} settings and factory type, never
	 * follows redirects, and takes {@code xref.oauth.connect-timeout} and
	 * {@code read-timeout} over them when set.
	 */
	@Bean
	@Lazy
	@ConditionalOnMissingBean
	XrefHttpTransport xrefHttpTransport(XrefOAuthProperties properties,
			ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings, ResourceLoader resourceLoader) {
		return new XrefHttpTransport(
				() -> requestFactoryBuilder
					.getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect(resourceLoader.getClassLoader()))
					.build(XrefOAuthSettings.httpClientSettings(properties,
							httpClientSettings.getIfAvailable(HttpClientSettings::defaults))),
				properties.getMaxConcurrentCalls());
	}

	/**
	 * The token request carries the client secret: it gets a client of its own, without
	 * the application's {@code RestClientCustomizer}s (which may log bodies). The
	 * {@code RestClient} is created on the first connect: it sets up message converters.
	 */
	@Bean
	@ConditionalOnMissingBean(XrefTokenClient.class)
	RestClientXrefTokenClient xrefTokenClient(ObjectProvider<XrefHttpTransport> transport,
			@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
		return new RestClientXrefTokenClient(registration, () -> ownRestClient(transport));
	}

	/**
	 * Revokes tokens that the store does not keep. Like the token exchange, it gets a
	 * client of its own, created on the first revocation: the token it sends is not in
	 * the store, so {@code xrefRestClient} cannot send it.
	 */
	@Bean
	@ConditionalOnMissingBean(XrefTokenRevoker.class)
	RestClientXrefTokenRevoker xrefTokenRevoker(XrefOAuthProperties properties,
			ObjectProvider<XrefHttpTransport> transport) {
		return new RestClientXrefTokenRevoker(
				XrefClientRegistrations.endpoint(properties.getApiUri(), "/oauth/deauthorize"),
				() -> ownRestClient(transport));
	}

	private static RestClient ownRestClient(ObjectProvider<XrefHttpTransport> transport) {
		return RestClient.builder().requestFactory(transport.getObject().requestFactory()).build();
	}

	/**
	 * The gauge of connections per status, bound to the application's meter registries.
	 * The health check's checks are the {@code xref.health.check} observation.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "xrefMeterBinder")
		MeterBinder xrefMeterBinder(XrefAccountStore accountStore) {
			return new XrefMeters(accountStore);
		}

	}

	/**
	 * The tenant of a WebFlux request or of an {@code xrefWebClient} call, from the same
	 * {@link XrefTenantResolver} as the servlet one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	static class ReactiveTenantContextConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveXrefTenantContext reactiveXrefTenantContext(XrefTenantResolver tenantResolver) {
			return new ReactiveXrefTenantContext(tenantResolver);
		}

	}

}
