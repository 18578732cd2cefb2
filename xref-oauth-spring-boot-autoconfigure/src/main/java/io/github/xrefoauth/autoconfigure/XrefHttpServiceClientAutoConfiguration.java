package io.github.xrefoauth.autoconfigure;

import java.net.URI;

import io.github.xrefoauth.client.XrefApiOrigin;
import io.github.xrefoauth.client.XrefHttpServiceGroupConfigurer;
import io.github.xrefoauth.client.XrefHttpTransport;
import io.github.xrefoauth.client.XrefTokenInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * {@link AutoConfiguration Auto-configuration} of the HTTP service group {@code xref}:
 * interfaces imported with {@code @ImportHttpServices(group = "xref", ...)} call the Xref
 * API as {@code xrefRestClient} does.
 */
@AutoConfiguration(after = XrefRestClientAutoConfiguration.class)
@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefOAuthProperties.class)
public final class XrefHttpServiceClientAutoConfiguration {

	static final String BASE_URL_PROPERTY = "spring.http.serviceclient." + XrefHttpServiceGroupConfigurer.GROUP
			+ ".base-url";

	/**
	 * Checks the base URL at start-up; the interceptor and the transport are taken when
	 * the group's client is configured.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "xrefHttpServiceGroupConfigurer")
	XrefHttpServiceGroupConfigurer xrefHttpServiceGroupConfigurer(XrefOAuthProperties properties,
			ObjectProvider<XrefTokenInterceptor> tokenInterceptor, ObjectProvider<XrefHttpTransport> transport,
			Environment environment) {
		return new XrefHttpServiceGroupConfigurer(tokenInterceptor::getObject,
				() -> transport.getObject().requestFactory(), baseUrl(properties, environment));
	}

	/**
	 * The Xref API, or {@code spring.http.serviceclient.xref.base-url} if it is set: then
	 * it must be on the API's origin, the only one that gets tokens.
	 */
	static String baseUrl(XrefOAuthProperties properties, Environment environment) {
		String baseUrl = environment.getProperty(BASE_URL_PROPERTY);
		if (!StringUtils.hasText(baseUrl)) {
			return properties.getApiUri();
		}
		XrefApiOrigin api = new XrefApiOrigin(properties.getApiUri());
		URI uri;
		try {
			uri = URI.create(baseUrl);
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		if (uri == null || uri.getScheme() == null || uri.getHost() == null || !api.matches(uri)) {
			throw new InvalidXrefPropertyException(BASE_URL_PROPERTY, baseUrl,
					"is not on the origin of xref.oauth.api-uri (" + api + "), the only one that gets Xref tokens");
		}
		return baseUrl;
	}

}
