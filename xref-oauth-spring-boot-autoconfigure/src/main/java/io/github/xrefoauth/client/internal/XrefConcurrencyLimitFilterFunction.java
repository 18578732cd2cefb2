package io.github.xrefoauth.client.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.xrefoauth.client.XrefBusyException;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Bounds the calls of a {@code WebClient} to Xref by the bound of an
 * {@link XrefHttpTransport}: they count against the same
 * {@code xref.oauth.max-concurrent-calls} as the calls through it, and a call beyond the
 * bound fails at once with {@link XrefBusyException}, nothing sent, so that a stalled
 * Xref holds at most that many connections.
 * <p>
 * A call counts from the moment it is subscribed to until Xref's status and headers
 * arrive, it fails or it is cancelled. It counts out before its response is passed on, so
 * that a filter before this one can send the request once more within the bound.
 *
 * @since 0.1.0
 */
public final class XrefConcurrencyLimitFilterFunction implements ExchangeFilterFunction {

	private final XrefConcurrencyLimitInterceptor limit;

	/**
	 * Creates a filter function.
	 * @param transport the transport whose bound the calls share
	 */
	public XrefConcurrencyLimitFilterFunction(XrefHttpTransport transport) {
		Assert.notNull(transport, "transport cannot be null");
		this.limit = transport.concurrencyLimit();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			this.limit.acquire();
			AtomicBoolean counted = new AtomicBoolean(true);
			Runnable release = () -> {
				if (counted.compareAndSet(true, false)) {
					this.limit.release();
				}
			};
			try {
				return next.exchange(request)
					.doOnNext((response) -> release.run())
					.doFinally((signal) -> release.run());
			}
			catch (RuntimeException ex) {
				release.run();
				throw ex;
			}
		});
	}

}
