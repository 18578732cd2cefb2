package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.client.ReactiveXrefConnectionService;
import io.github.xrefoauth.client.XrefConnectionService;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the clients that call the Xref Open API
 * with {@code Authorization: Token ...}: {@code xrefRestClient} and the
 * {@link XrefConnectionService} in servlet and non-web applications, the HTTP service
 * group {@code xref}, and, with spring-webflux on the classpath, {@code xrefWebClient}
 * and, in a reactive web application, the {@link ReactiveXrefConnectionService}; and,
 * when {@code xref.oauth.health-check.interval} is set, the scheduled health check of
 * every connection.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(XrefOAuthProperties.class)
@Import({ XrefClientConfigurations.RestClientConfiguration.class,
		XrefClientConfigurations.HttpServiceGroupConfiguration.class,
		XrefClientConfigurations.WebClientConfiguration.class,
		XrefClientConfigurations.HealthCheckConfiguration.class })
public final class XrefClientAutoConfiguration {

	/** Name of the {@link RestClient} bean for the Xref Open API. */
	public static final String REST_CLIENT_BEAN_NAME = "xrefRestClient";

	/** Name of the {@code WebClient} bean for the Xref Open API. */
	public static final String WEB_CLIENT_BEAN_NAME = "xrefWebClient";

}
