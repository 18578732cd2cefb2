package io.github.xrefoauth.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.test.XrefSimulator;
import okhttp3.HttpUrl;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * What tests of other packages need to drive a {@link XrefHealthCheck}: its ticks, the
 * clock they move, no real waits, and tokens that the simulator honours.
 */
public final class HealthCheckTesting {

	public static final String CLIENT_ID = "health-client";

	private static final String CLIENT_SECRET = "health-secret";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private HealthCheckTesting() {
	}

	/**
	 * Runs one tick of the health check now, with the given clock and without waiting
	 * between calls.
	 * @param healthCheck the health check
	 */
	public static void tick(XrefHealthCheck healthCheck) {
		healthCheck.tick();
	}

	/**
	 * Makes the health check read the given clock and never wait between calls.
	 * @param healthCheck the health check
	 * @param clock the clock
	 */
	public static void useClock(XrefHealthCheck healthCheck, Clock clock) {
		healthCheck.setClock(clock);
		healthCheck.setSleeper((duration) -> {
		});
	}

	/**
	 * Returns a client for the health check: base URL of the simulator, JDK HTTP client
	 * (which follows no redirect).
	 * @param baseUrl the Xref API
	 * @param readTimeout the read timeout
	 * @return the client
	 */
	public static RestClient restClient(String baseUrl, Duration readTimeout) {
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory();
		requestFactory.setReadTimeout(readTimeout);
		return RestClient.builder().baseUrl(baseUrl).requestFactory(requestFactory).build();
	}

	/**
	 * Connects an account at the simulator, as an end user would, and returns the
	 * connection with the token it issued.
	 * @param xref the simulator, with {@link #register(XrefSimulator)} done
	 * @param accountId the Xref account
	 * @return the connection
	 */
	public static XrefConnection connect(XrefSimulator xref, String accountId) {
		String callback = xref.approve(xref.baseUrl() + "/oauth/open-api/" + CLIENT_ID + "?state=s", accountId);
		String code = HttpUrl.get(callback).queryParameter("code");
		String body = JsonMapper.shared()
			.writeValueAsString(java.util.Map.of("client_id", CLIENT_ID, "client_secret", CLIENT_SECRET, "code", code));
		try {
			HttpResponse<String> response = HTTP
				.send(HttpRequest.newBuilder(URI.create(xref.baseUrl() + "/oauth/tokens"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			String token = JsonMapper.shared().readTree(response.body()).get("access_token").asString();
			return new XrefConnection(accountId, token, Instant.parse("2026-01-01T09:00:00Z"), "alice");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Registers the platform that {@link #connect} connects with.
	 * @param xref the simulator
	 * @return the simulator
	 */
	public static XrefSimulator register(XrefSimulator xref) {
		return xref.registerClient(CLIENT_ID, CLIENT_SECRET, "https://platform.example/integrations/xref");
	}

}
