package io.github.xrefoauth.client.internal;

import java.util.function.Supplier;

import org.springframework.core.Ordered;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * Configures the HTTP service group {@value #GROUP} like {@code xrefRestClient}: the Xref
 * API base URL, the request factory with the Xref timeouts and the
 * {@link XrefTokenInterceptor} ({@code Authorization: Token ...}, the Xref API origin
 * only), and a {@code 429} becomes an {@code XrefRateLimitedException}
 * ({@link XrefRateLimitStatusHandler}). Other groups are left alone.
 *
 * <pre class="code">
 * &#64;ImportHttpServices(group = "xref", types = XrefApi.class)
 * </pre>
 *
 * It runs last, after Spring Boot's group configurers (properties and
 * {@code RestClientCustomizer}s) and the application's own of default order: its request
 * factory replaces the one Boot builds from {@code spring.http.serviceclient.xref.*}, and
 * the token interceptor comes after every other interceptor, so that no
 * {@code Authorization} header set by another one reaches Xref.
 *
 * @since 0.1.0
 */
public final class XrefHttpServiceGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

	/** The name of the HTTP service group that calls the Xref API. */
	public static final String GROUP = "xref";

	private final Supplier<XrefTokenInterceptor> tokenInterceptor;

	private final Supplier<ClientHttpRequestFactory> requestFactory;

	private final String baseUrl;

	/**
	 * Creates a configurer.
	 * @param tokenInterceptor supplies the interceptor of {@code xrefRestClient}
	 * @param requestFactory supplies the request factory of {@code xrefRestClient}
	 * @param baseUrl the base URL of the group: the Xref API, or a URL on its origin
	 */
	public XrefHttpServiceGroupConfigurer(Supplier<XrefTokenInterceptor> tokenInterceptor,
			Supplier<ClientHttpRequestFactory> requestFactory, String baseUrl) {
		Assert.notNull(tokenInterceptor, "tokenInterceptor cannot be null");
		Assert.notNull(requestFactory, "requestFactory cannot be null");
		Assert.hasText(baseUrl, "baseUrl cannot be empty");
		this.tokenInterceptor = tokenInterceptor;
		this.requestFactory = requestFactory;
		this.baseUrl = baseUrl;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void configureGroups(Groups<RestClient.Builder> groups) {
		groups.filterByName(GROUP).forEachClient(this::configure);
	}

	private void configure(HttpServiceGroup group, RestClient.Builder builder) {
		XrefTokenInterceptor tokenInterceptor = this.tokenInterceptor.get();
		XrefRateLimitStatusHandler.register(builder);
		builder.baseUrl(this.baseUrl).requestFactory(this.requestFactory.get()).requestInterceptors((interceptors) -> {
			// Innermost: no other interceptor rewrites the Authorization header after it
			interceptors.remove(tokenInterceptor);
			interceptors.add(tokenInterceptor);
		});
	}

}
