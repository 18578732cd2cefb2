package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefHttpTransport;
import io.github.xrefoauth.client.XrefTokenInterceptor;
import io.github.xrefoauth.event.XrefEventPublisher;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

/**
 * {@link AutoConfiguration Auto-configuration} of {@code xrefRestClient}, which calls the
 * Xref Open API with {@code Authorization: Token ...}, and of the
 * {@link XrefConnectionService}, in servlet and non-web applications.
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class)
@ConditionalOnClass(RestClient.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefOAuthProperties.class)
@Conditional(OnNotReactiveWebApplicationCondition.class)
public final class XrefRestClientAutoConfiguration {

	/** Name of the {@link RestClient} bean for the Xref Open API. */
	public static final String REST_CLIENT_BEAN_NAME = "xrefRestClient";

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
	 * {@code RestClient.Builder} is not used: it creates an HTTP client at once, and this
	 * one uses the shared {@link XrefHttpTransport}, created on the first call. The
	 * client itself is created when first needed: a {@code RestClient} sets up its
	 * message converters.
	 */
	@Bean(REST_CLIENT_BEAN_NAME)
	@Lazy
	@ConditionalOnMissingBean(name = REST_CLIENT_BEAN_NAME)
	RestClient xrefRestClient(XrefOAuthProperties properties, XrefTokenInterceptor tokenInterceptor,
			XrefHttpTransport transport, ListableBeanFactory beanFactory) {
		RestClient.Builder builder = RestClient.builder();
		if (ClassUtils.isPresent(CUSTOMIZER_CLASS_NAME, XrefRestClientAutoConfiguration.class.getClassLoader())) {
			Customizers.apply(beanFactory, builder);
		}
		return builder.baseUrl(properties.getApiUri())
			.requestFactory(transport.requestFactory())
			.requestInterceptor(tokenInterceptor)
			.build();
	}

	@Bean
	@Lazy
	@ConditionalOnMissingBean
	XrefConnectionService xrefConnectionService(XrefAccountStore accountStore, XrefTenantContext tenantContext,
			@Lazy @Qualifier(REST_CLIENT_BEAN_NAME) RestClient xrefRestClient, ApplicationEventPublisher eventPublisher,
			ObjectProvider<ObservationRegistry> observationRegistry) {
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
