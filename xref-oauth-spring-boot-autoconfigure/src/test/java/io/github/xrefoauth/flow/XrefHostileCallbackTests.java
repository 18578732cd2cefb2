package io.github.xrefoauth.flow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.web.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * A seeded stream of hostile callbacks through the real filter chain: fuzzed
 * {@code state}, {@code code} and {@code error}, duplicated parameters, long and odd
 * encodings, replays, another end user's state, every HTTP method, signed-in, tenant-less
 * and anonymous. None gets a 5xx, reflects its input, redirects off the platform, reaches
 * Xref's token endpoint or writes a row; every request that Spring Security lets through
 * reaches the callback, which counts its outcome; the victim's pending connect still
 * completes afterwards.
 */
@SpringBootTest(classes = FlowTestApplication.class,
		properties = { "xref.oauth.failure-url=/connect-failed", "xref.oauth.success-url=/connected" })
@AutoConfigureMockMvc
class XrefHostileCallbackTests {

	static final long SEED = 20261129L;

	static final int REQUESTS = 10_000;

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET,
			HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE,
			HttpMethod.TRACE);

	static final List<String> NAMES = List.of("state", "state", "code", "code", "error", "error_description",
			"redirect_uri", "xref_error", "continue", "STATE", "state[]", "");

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@Autowired
	ObjectProvider<DataSource> dataSource;

	@Autowired
	XrefAuthorizationRequestRepository authorizationRequestRepository;

	@Autowired
	XrefConnectOutcomes outcomes;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@AfterEach
	void forgetConnections() {
		this.store.deleteAccount("acct-globex");
		this.store.deleteAccount("acct-acme");
	}

	@Test
	void hostileCallbacksGetNo5xxReflectNothingStayOnOriginAndWriteNothing() throws Exception {
		XrefFlowSupport alice = new XrefFlowSupport(this.mvc, xref, "alice");
		XrefFlowSupport carol = new XrefFlowSupport(this.mvc, xref, "carol");
		XrefFlowSupport mallory = new XrefFlowSupport(this.mvc, xref, "mallory");
		String victimCallback = xref.approve(alice.startConnect(), "acct-acme");
		String usedCallback = xref.approve(carol.startConnect(), "acct-globex");
		assertThat(carol.callback(usedCallback)).isEqualTo("/connected");
		XrefConnection carolsConnection = this.store.findByTenant("globex").orElseThrow();
		int tokenRequests = xref.requests("/oauth/tokens").size();
		Map<String, Integer> rows = rowCounts();

		Map<String, Long> failuresBefore = this.outcomes.failures();
		long connectedBefore = this.outcomes.connected();

		Fuzzer fuzzer = new Fuzzer(new Random(SEED), List.of(victimCallback, usedCallback));
		Map<Integer, Integer> statuses = new TreeMap<>();
		Map<String, Long> answered = new TreeMap<>();
		int expectedAtCallback = 0;
		List<String> violations = new ArrayList<>();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStarted = threads.getCurrentThreadCpuTime();
		long started = System.nanoTime();
		Hostile previous = null;
		for (int i = 0; i < REQUESTS; i++) {
			Hostile hostile = (previous != null && fuzzer.random.nextInt(20) == 0) ? previous
					: fuzzer.next("zq" + i + "x");
			XrefFlowSupport browser = switch (hostile.who) {
				case 0 -> carol;
				case 1 -> mallory;
				default -> null;
			};
			MockHttpServletResponse response = perform(hostile, browser);
			statuses.merge(response.getStatus(), 1, Integer::sum);
			String answer = callbackAnswer(response);
			if (answer != null) {
				answered.merge(answer, 1L, Long::sum);
			}
			if (passesSpringSecurity(hostile)) {
				expectedAtCallback++;
				if (answer == null) {
					violations.add("did not reach the callback (" + response.getStatus() + ") " + hostile);
				}
			}
			check(hostile, response, violations);
			previous = hostile;
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
		long serverErrors = statuses.entrySet()
			.stream()
			.filter((entry) -> entry.getKey() >= 500)
			.mapToLong(Map.Entry::getValue)
			.sum();
		long atCallback = answered.values().stream().mapToLong(Long::longValue).sum();
		System.out.printf(
				"Hostile callbacks (%s): %d requests, %d 5xx, statuses %s, %d answered by the callback %s,"
						+ " %.1f s (%.1f s CPU)%n",
				repositoryName(), REQUESTS, serverErrors, statuses, atCallback, answered, seconds, cpuSeconds);

		assertThat(violations).as("violations (seed %d)", SEED).isEmpty();
		// Half the requests are anonymous and some lack a CSRF token: these the chain
		// stops. The rest reach the callback, which counts each outcome once.
		assertThat(expectedAtCallback).isGreaterThan(REQUESTS / 4);
		assertThat(atCallback).isGreaterThanOrEqualTo(expectedAtCallback);
		assertThat(countedSince(failuresBefore, connectedBefore)).as("outcomes counted").isEqualTo(answered);
		// Other methods than GET and unreadable parameters are invalid requests; a state
		// is checked before the tenant, so the tenant-less end user's forged ones are
		// invalid_state too.
		assertThat(answered).containsOnlyKeys("invalid_state", "invalid_request")
			.allSatisfy((reason, count) -> assertThat(count).as(reason).isGreaterThan(REQUESTS / 10));
		assertThat(statuses.keySet()).allSatisfy((status) -> assertThat(status).isLessThan(500));
		assertThat(xref.requests("/oauth/tokens")).hasSize(tokenRequests);
		assertThat(rowCounts()).isEqualTo(rows);
		assertThat(this.store.findByTenant("acme")).isEmpty();
		assertThat(this.store.findByTenant("globex")).contains(carolsConnection);
		assertThat(alice.callback(victimCallback)).isEqualTo("/connected");
		assertThat(xref.requests("/oauth/tokens")).hasSize(tokenRequests + 1);
	}

	private MockHttpServletResponse perform(Hostile hostile, XrefFlowSupport browser) throws Exception {
		MockHttpServletRequestBuilder request = request(hostile.method, URI.create(hostile.uri));
		if (browser != null) {
			request.session(browser.session()).with(user(browser.username()));
			if (!browser.cookies().isEmpty()) {
				request.cookie(browser.cookies().values().toArray(Cookie[]::new));
			}
			if (hostile.evilHost) {
				request.header("Host", "evil.example");
			}
		}
		if (hostile.csrf) {
			request.with(csrf());
		}
		return this.mvc.perform(request).andReturn().getResponse();
	}

	/**
	 * Whether Spring Security lets the request through to the callback: a signed-in end
	 * user, a method the firewall allows, and a CSRF token unless the method is safe.
	 */
	private static boolean passesSpringSecurity(Hostile hostile) {
		boolean safe = hostile.method == HttpMethod.GET || hostile.method == HttpMethod.HEAD
				|| hostile.method == HttpMethod.OPTIONS;
		return hostile.who < 2 && hostile.method != HttpMethod.TRACE && (safe || hostile.csrf);
	}

	/**
	 * Returns the failure code or {@code connected} that the callback answered with, or
	 * {@code null} if the answer is not the callback's.
	 */
	private static @Nullable String callbackAnswer(MockHttpServletResponse response) {
		if (response.getStatus() == 405 && "GET".equals(response.getHeader("Allow"))) {
			return XrefConnectFailure.INVALID_REQUEST.code();
		}
		String location = response.getHeader("Location");
		if ("/connected".equals(location)) {
			return "connected";
		}
		String failed = "/connect-failed?xref_error=";
		return (location != null && location.startsWith(failed)) ? location.substring(failed.length()) : null;
	}

	/** Returns the outcomes counted since the given counts, by reason code. */
	private Map<String, Long> countedSince(Map<String, Long> failuresBefore, long connectedBefore) {
		Map<String, Long> counted = new TreeMap<>();
		this.outcomes.failures().forEach((reason, count) -> {
			if (count > failuresBefore.get(reason)) {
				counted.put(reason, count - failuresBefore.get(reason));
			}
		});
		if (this.outcomes.connected() > connectedBefore) {
			counted.put("connected", this.outcomes.connected() - connectedBefore);
		}
		return counted;
	}

	private static void check(Hostile hostile, MockHttpServletResponse response, List<String> violations)
			throws Exception {
		if (response.getStatus() >= 500) {
			violations.add(response.getStatus() + " for " + hostile);
		}
		String location = response.getHeader("Location");
		if (location != null) {
			URI uri = URI.create(location);
			boolean onOrigin = (uri.getHost() == null) ? location.startsWith("/") && !location.startsWith("//")
					: uri.getHost().equals("localhost");
			if (!onOrigin) {
				violations.add("off-origin Location " + location + " for " + hostile);
			}
		}
		List<String> answer = new ArrayList<>();
		answer.add(response.getContentAsString());
		for (String name : response.getHeaderNames()) {
			answer.addAll(response.getHeaders(name));
		}
		if (answer.stream().anyMatch((text) -> text.contains(hostile.marker))) {
			violations.add("reflected input for " + hostile);
		}
	}

	private Map<String, Integer> rowCounts() {
		Map<String, Integer> counts = new TreeMap<>();
		if (this.authorizationRequestRepository instanceof JdbcXrefAuthorizationRequestRepository) {
			JdbcClient jdbc = JdbcClient.create(this.dataSource.getObject());
			for (String table : List.of("xref_account", "xref_tenant", "xref_authorization_request")) {
				counts.put(table, jdbc.sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single());
			}
		}
		return counts;
	}

	String repositoryName() {
		return "session";
	}

	/**
	 * One hostile request. Every text it makes up carries the marker.
	 */
	record Hostile(HttpMethod method, String uri, int who, boolean csrf, boolean evilHost, String marker) {

		@Override
		public String toString() {
			return this.method + " " + ((this.uri.length() > 200) ? this.uri.substring(0, 200) + "..." : this.uri)
					+ " as " + List.of("carol", "mallory", "anonymous").get(Math.min(this.who, 2));
		}

	}

	/**
	 * Makes up hostile callbacks from a seeded random source.
	 */
	static final class Fuzzer {

		private final Random random;

		private final List<Map<String, String>> realCallbacks = new ArrayList<>();

		Fuzzer(Random random, List<String> realCallbacks) {
			this.random = random;
			for (String callback : realCallbacks) {
				this.realCallbacks
					.add(UriComponentsBuilder.fromUriString(callback).build().getQueryParams().toSingleValueMap());
			}
		}

		Hostile next(String marker) {
			HttpMethod method = METHODS.get(this.random.nextInt(METHODS.size()));
			int who = this.random.nextInt(4);
			StringBuilder query = new StringBuilder();
			int kind = this.random.nextInt(10);
			if (kind < 2) {
				// A real callback, replayed or from another end user, maybe with a twist.
				Map<String, String> real = this.realCallbacks.get(this.random.nextInt(this.realCallbacks.size()));
				real.forEach((name, value) -> append(query, name, value));
				if (this.random.nextBoolean()) {
					append(query, pick(NAMES), value(marker));
				}
			}
			int parameters = this.random.nextInt(5);
			for (int i = 0; i < parameters; i++) {
				append(query, pick(NAMES), value(marker));
			}
			if (query.isEmpty() || this.random.nextInt(4) == 0) {
				append(query, "state", value(marker));
			}
			String uri = XrefFlowSupport.REDIRECT_URI.replace("http://localhost", "") + "?" + query;
			boolean csrf = this.random.nextBoolean();
			return new Hostile(method, uri, who, csrf, this.random.nextInt(3) == 0, marker);
		}

		private String value(String marker) {
			List<Supplier<String>> values = List.of(() -> marker + Long.toString(this.random.nextLong(), 36),
					() -> "<script>alert('" + marker + "')</script>", () -> "http://evil.example/" + marker,
					() -> "//evil.example/" + marker, () -> marker + "\r\nLocation: http://evil.example/",
					() -> marker + "x".repeat(1000 + this.random.nextInt(7000)),
					() -> marker + "\u00e9\u6f22\ud83d\ude00",
					() -> "access_denied" + ((this.random.nextBoolean()) ? "" : marker), () -> marker + "%00%zz",
					() -> "../../" + marker, () -> marker + "\"'><", () -> marker);
			return values.get(this.random.nextInt(values.size())).get();
		}

		private void append(StringBuilder query, String name, String value) {
			if (!query.isEmpty()) {
				query.append('&');
			}
			query.append(UriUtils.encode(name, StandardCharsets.UTF_8));
			switch (this.random.nextInt(6)) {
				case 0 -> {
					// no '=' at all
				}
				case 1 -> query.append("=");
				case 2 -> query.append('=')
					.append(UriUtils.encode(UriUtils.encode(value, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
				case 3 -> query.append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8).replace("%20", "+"));
				default -> query.append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
			}
		}

		private String pick(List<String> names) {
			return names.get(this.random.nextInt(names.size()));
		}

	}

}
