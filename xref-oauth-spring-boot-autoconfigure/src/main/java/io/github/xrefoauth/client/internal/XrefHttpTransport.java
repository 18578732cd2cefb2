package io.github.xrefoauth.client.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.InterceptingClientHttpRequestFactory;
import org.springframework.util.Assert;

/**
 * The HTTP transport that every call to Xref goes through: one
 * {@link ClientHttpRequestFactory}, created on the first call and shared by the token
 * exchange and {@code xrefRestClient}, behind the bound of
 * {@link XrefConcurrencyLimitInterceptor}. {@code xrefWebClient} counts against the same
 * bound through {@link XrefConcurrencyLimitFilterFunction}.
 * <p>
 * Creating an HTTP client is costly (the JDK's, for example, sets up its TLS context and
 * starts a selector thread); an application that never calls Xref never pays for it.
 *
 * @since 0.1.0
 */
public final class XrefHttpTransport implements DisposableBean {

	private final Supplier<? extends ClientHttpRequestFactory> factorySupplier;

	private final ClientHttpRequestFactory requestFactory;

	private final XrefConcurrencyLimitInterceptor concurrencyLimit;

	private final Object lock = new Object();

	private volatile @Nullable ClientHttpRequestFactory created;

	/**
	 * Creates a transport.
	 * @param requestFactory creates the underlying factory; called once, on the first
	 * call to Xref
	 * @param maxConcurrentCalls the most calls to Xref in progress at once
	 */
	public XrefHttpTransport(Supplier<? extends ClientHttpRequestFactory> requestFactory, int maxConcurrentCalls) {
		Assert.notNull(requestFactory, "requestFactory cannot be null");
		this.factorySupplier = requestFactory;
		this.concurrencyLimit = new XrefConcurrencyLimitInterceptor(maxConcurrentCalls);
		this.requestFactory = new InterceptingClientHttpRequestFactory(this::createRequest,
				List.of(this.concurrencyLimit));
	}

	/**
	 * Returns the factory for clients that call Xref.
	 * @return the shared, bounded factory
	 */
	public ClientHttpRequestFactory requestFactory() {
		return this.requestFactory;
	}

	/**
	 * Returns the bound on the calls in progress, for clients that do not use
	 * {@link #requestFactory()}.
	 */
	XrefConcurrencyLimitInterceptor concurrencyLimit() {
		return this.concurrencyLimit;
	}

	private ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		return factory().createRequest(uri, httpMethod);
	}

	private ClientHttpRequestFactory factory() {
		ClientHttpRequestFactory factory = this.created;
		if (factory == null) {
			synchronized (this.lock) {
				factory = this.created;
				if (factory == null) {
					factory = this.factorySupplier.get();
					Assert.state(factory != null, "requestFactory supplied null");
					this.created = factory;
				}
			}
		}
		return factory;
	}

	/**
	 * Releases the underlying factory's resources, if it was created and holds any.
	 * @throws Exception if releasing them failed
	 */
	@Override
	public void destroy() throws Exception {
		ClientHttpRequestFactory factory = this.created;
		if (factory instanceof DisposableBean disposable) {
			disposable.destroy();
		}
		else if (factory instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
