package io.github.xrefoauth.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import io.github.xrefoauth.test.XrefSimulator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Time per {@code POST /auth} call to the {@link XrefSimulator} over one kept-alive
 * loopback connection of the JDK {@link HttpClient}: median and 99th percentile of 1,000
 * calls after 200 warm-up calls.
 * <p>
 * Run with
 * {@code java -cp xref-oauth-spring-boot-benchmarks/target/benchmarks.jar io.github.xrefoauth.benchmarks.SimulatorLatency [calls]}.
 */
public final class SimulatorLatency {

	private static final String CALLBACK = "http://localhost/integrations/xref";

	private SimulatorLatency() {
	}

	public static void main(String[] args) throws Exception {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		try (XrefSimulator xref = XrefSimulator.start().registerClient("client", "secret", CALLBACK)) {
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			String token = token(xref, http);
			HttpRequest auth = HttpRequest.newBuilder(URI.create(xref.baseUrl() + "/auth"))
				.header("Authorization", "Token " + token)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build();
			call(http, auth, 200);
			long[] nanos = new long[calls];
			for (int i = 0; i < calls; i++) {
				long start = System.nanoTime();
				call(http, auth, 1);
				nanos[i] = System.nanoTime() - start;
			}
			Arrays.sort(nanos);
			System.out.printf(
					"XrefSimulator POST /auth, %d calls on one kept-alive connection: median %.3f ms, p99 %.3f ms%n",
					calls, nanos[calls / 2] / 1e6, nanos[(int) Math.ceil(calls * 0.99) - 1] / 1e6);
		}
	}

	private static String token(XrefSimulator xref, HttpClient http) throws IOException, InterruptedException {
		String callback = xref.approve(xref.baseUrl() + "/oauth/open-api/client?state=s", "account-1");
		String code = callback.substring(callback.indexOf("code=") + "code=".length());
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(xref.baseUrl() + "/oauth/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"client_id\":\"client\",\"client_secret\":\"secret\",\"code\":\"" + code + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		return JsonMapper.shared().readTree(response.body()).get("access_token").asString();
	}

	private static void call(HttpClient http, HttpRequest request, int times) throws IOException, InterruptedException {
		for (int i = 0; i < times; i++) {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("POST /auth answered " + response.statusCode());
			}
		}
	}

}
