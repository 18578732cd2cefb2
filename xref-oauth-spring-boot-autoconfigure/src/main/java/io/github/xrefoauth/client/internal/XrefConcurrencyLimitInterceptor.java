package io.github.xrefoauth.client.internal;

import java.io.IOException;

import io.github.xrefoauth.client.XrefBusyException;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.ConcurrencyThrottleSupport;

/**
 * Bounds the number of calls to Xref in progress at once. A call beyond the bound fails
 * at once with {@link XrefBusyException} instead of waiting, so that a stalled Xref holds
 * at most that many threads.
 * <p>
 * A call counts from the moment it is sent until Xref's status and headers arrive (or it
 * fails); the body is then read under the read timeout. {@link XrefHttpTransport} holds
 * one, which {@link XrefConcurrencyLimitFilterFunction} shares with {@code WebClient}s.
 *
 * @since 0.1.0
 */
public final class XrefConcurrencyLimitInterceptor extends ConcurrencyThrottleSupport
		implements ClientHttpRequestInterceptor {

	/**
	 * Creates an interceptor.
	 * @param maxConcurrentCalls the most calls in progress at once, at least 1
	 */
	public XrefConcurrencyLimitInterceptor(int maxConcurrentCalls) {
		Assert.isTrue(maxConcurrentCalls > 0, "maxConcurrentCalls must be positive");
		setConcurrencyLimit(maxConcurrentCalls);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		beforeAccess();
		try {
			return execution.execute(request, body);
		}
		finally {
			afterAccess();
		}
	}

	/**
	 * Counts a call in, or fails at once if the bound is reached.
	 * @throws XrefBusyException if {@code maxConcurrentCalls} calls are in progress
	 */
	void acquire() {
		beforeAccess();
	}

	/**
	 * Counts a call out.
	 */
	void release() {
		afterAccess();
	}

	@Override
	protected void onLimitReached() {
		throw new XrefBusyException(getConcurrencyLimit());
	}

}
