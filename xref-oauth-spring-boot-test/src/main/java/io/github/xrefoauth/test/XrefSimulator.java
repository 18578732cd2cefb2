package io.github.xrefoauth.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ServerSocketFactory;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A local Xref on a real HTTP server, faithful to Xref's OAuth protocol: a consent page
 * (Allow / Deny) at {@code /oauth/open-api/{client_id}?state=...}, the JSON token
 * endpoint {@code POST /oauth/tokens} (codes valid once for five minutes),
 * {@code POST /auth} and {@code POST /oauth/deauthorize} with
 * {@code Authorization: Token ...}, and {@code /simulator} to revoke accounts "at Xref".
 * <p>
 * It serves both the login and the API base URL: point {@code xref.oauth.login-uri} and
 * {@code xref.oauth.api-uri} at {@link #baseUrl()}.
 *
 * <pre class="code">
 * try (XrefSimulator xref = XrefSimulator.start()) {
 *     xref.registerClient("client-id", "client-secret", "https://localhost/integrations/xref");
 *     String callback = xref.approve(authorizeUrl, "account-1");
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class XrefSimulator implements AutoCloseable {

	/** The account id that the consent page offers unless told otherwise. */
	public static final String DEFAULT_ACCOUNT_ID = "d1e01e1a36a09eda2a31b01caf62eb2e";

	private final MockWebServer server = new MockWebServer();

	private final SimulatedXref xref = new SimulatedXref();

	private final XrefSimulatorDispatcher dispatcher;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	private volatile String defaultAccountId = DEFAULT_ACCOUNT_ID;

	private XrefSimulator() {
		this.dispatcher = new XrefSimulatorDispatcher(this.xref, () -> this.defaultAccountId);
		this.server.setDispatcher(this.dispatcher);
		this.server.setServerSocketFactory(new NoDelayServerSocketFactory());
	}

	/**
	 * Starts a simulator on a free loopback port.
	 * @return the running simulator
	 */
	public static XrefSimulator start() {
		return start(0);
	}

	/**
	 * Starts a simulator on the given loopback port.
	 * @param port the port, or 0 for a free one
	 * @return the running simulator
	 */
	public static XrefSimulator start(int port) {
		XrefSimulator simulator = new XrefSimulator();
		try {
			simulator.server.start(InetAddress.getLoopbackAddress(), port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Xref simulator", ex);
		}
		return simulator;
	}

	/**
	 * Returns the base URL for both {@code xref.oauth.login-uri} and
	 * {@code xref.oauth.api-uri}, without a trailing slash.
	 * @return the loopback address it listens on, e.g. {@code http://127.0.0.1:54321}
	 */
	public String baseUrl() {
		InetAddress address = this.server.getSocketAddress().getAddress();
		String host = (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]"
				: address.getHostAddress();
		return "http://" + host + ":" + this.server.getPort();
	}

	/**
	 * Registers a platform, as Xref does by e-mail.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param redirectUrl the redirect URL Xref sends end users back to
	 * @return this simulator
	 */
	public XrefSimulator registerClient(String clientId, String clientSecret, String redirectUrl) {
		this.xref.registerClient(new SimulatedXref.Client(clientId, clientSecret, redirectUrl));
		return this;
	}

	/**
	 * Sets the account id that the consent page offers.
	 * @param accountId the Xref account id
	 * @return this simulator
	 */
	public XrefSimulator defaultAccountId(String accountId) {
		this.defaultAccountId = Objects.requireNonNull(accountId);
		return this;
	}

	/**
	 * Opens the authorize URL and allows the connection for the given account, as an end
	 * user would on the consent page.
	 * @param authorizeUrl the URL the platform redirected to
	 * @param accountId the Xref account the end user belongs to
	 * @return the callback URL Xref redirects to, with {@code state} and {@code code}
	 * @throws IllegalStateException if Xref would not show the consent page
	 */
	public String approve(String authorizeUrl, String accountId) {
		return decide(authorizeUrl, "allow", accountId);
	}

	/**
	 * Opens the authorize URL and denies the connection.
	 * @param authorizeUrl the URL the platform redirected to
	 * @return the callback URL with {@code state} and {@code error=access_denied}
	 */
	public String deny(String authorizeUrl) {
		return decide(authorizeUrl, "deny", "");
	}

	/**
	 * Revokes every token of an account, as if it were disconnected at Xref's side.
	 * @param accountId the Xref account
	 * @return whether the account had a valid token
	 */
	public boolean revokeAccount(String accountId) {
		return this.xref.revokeAccount(accountId);
	}

	/**
	 * Answers the next token request with the given response instead of checking it.
	 * @param response the response, e.g. a 500 or a body that is not JSON
	 */
	public void overrideNextTokenResponse(MockResponse response) {
		this.dispatcher.overrideNextTokenResponse(response);
	}

	/**
	 * Answers the next request to a path with the given response instead of handling it,
	 * to inject a fault: a redirect, an HTML page, a JSON body of another shape, any
	 * status, or a slow answer ({@code headersDelay}). Responses queued for one path are
	 * used in order; they take precedence over {@link #overrideNextTokenResponse}.
	 * @param path the path, e.g. {@code /oauth/deauthorize}
	 * @param response the response
	 */
	public void overrideNextResponse(String path, MockResponse response) {
		this.dispatcher.overrideNextResponse(Objects.requireNonNull(path), Objects.requireNonNull(response));
	}

	/**
	 * Makes tokens independent of each other, as an Xref would whose reissued tokens do
	 * not replace older ones: a new token leaves the account's older tokens valid, and
	 * deauthorize revokes only the token it is called with. By default a new token
	 * replaces the older ones of its account and deauthorize revokes all of them.
	 * @param independentTokens whether tokens are independent
	 * @return this simulator
	 */
	public XrefSimulator independentTokens(boolean independentTokens) {
		this.xref.setIndependentTokens(independentTokens);
		return this;
	}

	/**
	 * Returns the tokens that Xref honours now: issued, and neither replaced nor revoked.
	 * @return the valid tokens
	 */
	public Set<String> validTokens() {
		return this.xref.validTokens();
	}

	/**
	 * Returns the requests received so far on a path, oldest first.
	 * @param path the path, e.g. {@code /oauth/tokens}
	 * @return the requests
	 */
	public List<RecordedRequest> requests(String path) {
		return this.dispatcher.received()
			.stream()
			.filter((request) -> path.equals(request.getUrl().encodedPath()))
			.toList();
	}

	/**
	 * Forgets the requests received so far, e.g. between tests.
	 */
	public void clearRequests() {
		this.dispatcher.received().clear();
	}

	/**
	 * Sets the clock that decides when codes expire.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		this.xref.setClock(Objects.requireNonNull(clock));
	}

	@Override
	public void close() {
		this.server.close();
	}

	private String decide(String authorizeUrl, String decision, String accountId) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authorizeUrl)).GET().build());
		if (page.statusCode() != 200) {
			throw new IllegalStateException(
					"Xref would not show the consent page: HTTP " + page.statusCode() + " for " + authorizeUrl);
		}
		HttpUrl url = Objects.requireNonNull(HttpUrl.parse(authorizeUrl));
		String state = Objects.requireNonNullElse(url.queryParameter("state"), "");
		String form = "state=" + encode(state) + "&decision=" + decision + "&account=" + encode(accountId);
		HttpResponse<String> redirect = send(HttpRequest.newBuilder(URI.create(authorizeUrl.split("\\?")[0]))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
		return redirect.headers()
			.firstValue("Location")
			.orElseThrow(() -> new IllegalStateException("Xref did not redirect: HTTP " + redirect.statusCode()));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.httpClient.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Accepts connections with {@code TCP_NODELAY}. MockWebServer writes a response in
	 * several small writes; with Nagle's algorithm the second one waits for the client's
	 * delayed ACK (about 40 ms on Linux) on every call of a kept-alive connection.
	 */
	private static final class NoDelayServerSocketFactory extends ServerSocketFactory {

		@Override
		public ServerSocket createServerSocket() throws IOException {
			return new NoDelayServerSocket();
		}

		@Override
		public ServerSocket createServerSocket(int port) throws IOException {
			ServerSocket socket = createServerSocket();
			socket.bind(new InetSocketAddress(port));
			return socket;
		}

		@Override
		public ServerSocket createServerSocket(int port, int backlog) throws IOException {
			ServerSocket socket = createServerSocket();
			socket.bind(new InetSocketAddress(port), backlog);
			return socket;
		}

		@Override
		public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
			ServerSocket socket = createServerSocket();
			socket.bind(new InetSocketAddress(address, port), backlog);
			return socket;
		}

	}

	private static final class NoDelayServerSocket extends ServerSocket {

		NoDelayServerSocket() throws IOException {
		}

		@Override
		public Socket accept() throws IOException {
			Socket socket = super.accept();
			socket.setTcpNoDelay(true);
			return socket;
		}

	}

}
