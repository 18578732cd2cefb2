package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnectionService;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.client.XrefTokenInterceptor;
import io.github.xrefoauth.event.XrefEventPublisher;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * {@link AutoConfiguration Auto-configuration} of {@code xrefRestClient}, which calls the
 * Xref Open API with {@code Authorization: Token ...}, and of the
 * {@link XrefConnectionService}.
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class)
@ConditionalOnClass(RestClient.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean({ XrefOAuthProperties.class, XrefAccountStore.class, XrefTenantContext.class })
public final class XrefRestClientAutoConfiguration {

	/** Name of the {@link RestClient} bean for the Xref Open API. */
	public static final String REST_CLIENT_BEAN_NAME = "xrefRestClient";

	@Bean
	@ConditionalOnMissingBean
	XrefTokenInterceptor xrefTokenInterceptor(XrefOAuthProperties properties, XrefAccountStore accountStore,
			XrefTenantContext tenantContext, ApplicationEventPublisher eventPublisher) {
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(accountStore, tenantContext,
				properties.getApiUri());
		interceptor.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		return interceptor;
	}

	@Bean(REST_CLIENT_BEAN_NAME)
	@ConditionalOnMissingBean(name = REST_CLIENT_BEAN_NAME)
	RestClient xrefRestClient(XrefOAuthProperties properties, XrefTokenInterceptor tokenInterceptor,
			ObjectProvider<RestClient.Builder> restClientBuilder) {
		return restClientBuilder.getIfAvailable(RestClient::builder)
			.baseUrl(properties.getApiUri())
			.requestFactory(XrefOAuthAutoConfiguration.requestFactory(properties))
			.requestInterceptor(tokenInterceptor)
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	XrefConnectionService xrefConnectionService(XrefAccountStore accountStore, XrefTenantContext tenantContext,
			@Qualifier(REST_CLIENT_BEAN_NAME) RestClient xrefRestClient, ApplicationEventPublisher eventPublisher,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		XrefConnectionService service = new XrefConnectionService(accountStore, tenantContext, xrefRestClient);
		service.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		observationRegistry.ifUnique(service::setObservationRegistry);
		return service;
	}

}
