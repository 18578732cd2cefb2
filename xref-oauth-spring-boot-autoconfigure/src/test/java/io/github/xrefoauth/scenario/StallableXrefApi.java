package io.github.xrefoauth.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Xref's API origin in front of the simulator: passes every request on to it, except that
 * while stalled, calls of {@code POST /auth} wait until released, as a stalled Xref would
 * hold them.
 */
final class StallableXrefApi implements AutoCloseable {

	private static final Set<String> NOT_PASSED_ON = Set.of("host", "connection", "content-length", "expect", "upgrade",
			"transfer-encoding");

	private final MockWebServer server = new MockWebServer();

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final XrefSimulator xref;

	private volatile Stall stall;

	StallableXrefApi(XrefSimulator xref) {
		this.xref = xref;
		this.stall = Stall.none();
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if ("/auth".equals(request.getUrl().encodedPath())) {
					StallableXrefApi.this.stall.hold();
				}
				return passOn(request);
			}

		});
		try {
			this.server.start(InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String baseUrl() {
		return "http://" + this.server.getHostName() + ":" + this.server.getPort();
	}

	/**
	 * From now on, holds calls of {@code /auth} until {@link Stall#release()}.
	 * @param expected how many calls the returned stall expects to hold
	 * @return the stall
	 */
	Stall stall(int expected) {
		Stall stall = new Stall(expected, true);
		this.stall = stall;
		return stall;
	}

	/** Releases a stall, if any, and passes calls on at once again. */
	void reset() {
		this.stall.release();
		this.stall = Stall.none();
	}

	private MockResponse passOn(RecordedRequest request) {
		HttpRequest.Builder forwarded = HttpRequest.newBuilder(URI.create(this.xref.baseUrl() + request.getTarget()))
			.method(request.getMethod(),
					(request.getBody() != null)
							? HttpRequest.BodyPublishers.ofByteArray(request.getBody().toByteArray())
							: HttpRequest.BodyPublishers.noBody());
		request.getHeaders().forEach((header) -> {
			if (!NOT_PASSED_ON.contains(header.getFirst().toLowerCase(Locale.ROOT))) {
				forwarded.header(header.getFirst(), header.getSecond());
			}
		});
		try {
			HttpResponse<byte[]> answer = this.client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
			MockResponse.Builder response = new MockResponse.Builder().code(answer.statusCode());
			answer.headers().map().forEach((name, values) -> {
				if (!NOT_PASSED_ON.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
					values.forEach((value) -> response.addHeader(name, value));
				}
			});
			return response.body(new Buffer().write(answer.body())).build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		reset();
		this.server.close();
	}

	/**
	 * Calls of {@code /auth} held at the stalled Xref until released.
	 */
	static final class Stall {

		private final int expected;

		private final boolean holding;

		private final CountDownLatch held;

		private final CountDownLatch released = new CountDownLatch(1);

		private final AtomicInteger arrived = new AtomicInteger();

		private final CompletableFuture<Integer> moreThanExpected = new CompletableFuture<>();

		private Stall(int expected, boolean holding) {
			this.expected = expected;
			this.holding = holding;
			this.held = new CountDownLatch(expected);
		}

		static Stall none() {
			return new Stall(0, false);
		}

		private void hold() throws InterruptedException {
			if (!this.holding) {
				return;
			}
			int count = this.arrived.incrementAndGet();
			this.held.countDown();
			if (count > this.expected) {
				this.moreThanExpected.complete(count);
			}
			this.released.await(120, TimeUnit.SECONDS);
		}

		/**
		 * Waits until the expected number of calls are held.
		 * @return whether they are
		 */
		boolean awaitExpected() throws InterruptedException {
			return this.held.await(60, TimeUnit.SECONDS);
		}

		/**
		 * Completes when one call more than expected reaches the stalled Xref.
		 * @return the number of calls held then
		 */
		CompletableFuture<Integer> moreThanExpected() {
			return this.moreThanExpected;
		}

		/** Returns how many calls reached the stalled Xref. */
		int arrived() {
			return this.arrived.get();
		}

		void release() {
			this.released.countDown();
		}

	}

}
