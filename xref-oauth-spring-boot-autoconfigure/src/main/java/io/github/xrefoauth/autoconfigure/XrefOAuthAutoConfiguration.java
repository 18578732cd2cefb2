package io.github.xrefoauth.autoconfigure;

import java.net.http.HttpClient;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.authorize.XrefClientRegistrations;
import io.github.xrefoauth.token.RestClientXrefTokenClient;
import io.github.xrefoauth.token.XrefTokenClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.web.client.RestClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the Xref registration, the token
 * exchange, the tenant mapping and the in-memory account store.
 */
@AutoConfiguration
@ConditionalOnClass({ ClientRegistration.class, RestClient.class })
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@EnableConfigurationProperties(XrefOAuthProperties.class)
public final class XrefOAuthAutoConfiguration {

	@Bean(XrefClientRegistrations.BEAN_NAME)
	@ConditionalOnMissingBean(name = XrefClientRegistrations.BEAN_NAME)
	ClientRegistration xrefClientRegistration(XrefOAuthProperties properties) {
		XrefRedirectUris.warnIfNotHttps(String.valueOf(properties.getRedirectUri()));
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

	@Bean
	@ConditionalOnMissingBean(XrefAccountStore.class)
	InMemoryXrefAccountStore xrefAccountStore() {
		return new InMemoryXrefAccountStore();
	}

	/**
	 * The token request carries the client secret: it gets a client of its own, without
	 * the application's {@code RestClientCustomizer}s (which may log bodies).
	 */
	@Bean
	@ConditionalOnMissingBean(XrefTokenClient.class)
	RestClientXrefTokenClient xrefTokenClient(XrefOAuthProperties properties,
			@Qualifier(XrefClientRegistrations.BEAN_NAME) ClientRegistration registration) {
		RestClient restClient = RestClient.builder().requestFactory(requestFactory(properties)).build();
		return new RestClientXrefTokenClient(registration, restClient);
	}

	static JdkClientHttpRequestFactory requestFactory(XrefOAuthProperties properties) {
		HttpClient httpClient = HttpClient.newBuilder().connectTimeout(properties.getConnectTimeout()).build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(properties.getReadTimeout());
		return requestFactory;
	}

}
