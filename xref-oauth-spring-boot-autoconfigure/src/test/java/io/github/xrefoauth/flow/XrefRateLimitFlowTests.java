package io.github.xrefoauth.flow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A {@code 429} of Xref, with {@code Retry-After} in seconds, as an HTTP date or without
 * it, fails each way of calling Xref with an {@link XrefRateLimitedException} that
 * carries the wait, and never costs the tenant its connection.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefRateLimitFlowTests.Clients.class })
@AutoConfigureMockMvc
class XrefRateLimitFlowTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	@Autowired
	MockMvc mvc;

	@Autowired
	XrefAccountStore store;

	@Autowired
	@Qualifier("xrefRestClient")
	RestClient xrefRestClient;

	@Autowired
	@Qualifier("xrefWebClient")
	WebClient xrefWebClient;

	@Autowired
	XrefApi xrefApi;

	@Autowired
	XrefConnectionService connections;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void connect() throws Exception {
		if (this.store.findByTenant("acme").isEmpty()) {
			new XrefFlowSupport(this.mvc, xref, "alice").connect("acct-acme");
		}
		xref.clearRequests();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("bob", null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

	@AfterEach
	void signOut() {
		SecurityContextHolder.clearContext();
	}

	@AfterAll
	static void forget(@Autowired XrefAccountStore store) {
		store.findByTenant("acme").ifPresent((connection) -> store.deleteAccount(connection.xrefAccountId()));
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("callsAndAnswers")
	void a429FailsTheCallWithTheWaitAndKeepsTheConnection(String call, String answer, Supplier<MockResponse> response,
			Consumer<Duration> expectedWait) {
		String token = this.store.findByTenant("acme").orElseThrow().accessToken();
		xref.overrideNextResponse("/auth", response.get());

		assertThatExceptionOfType(XrefRateLimitedException.class).isThrownBy(() -> call(call))
			.satisfies((ex) -> expectedWait.accept(ex.getRetryAfter()))
			.withMessageStartingWith("Xref answered POST /auth with HTTP 429")
			.withMessageNotContaining(token)
			.withMessageNotContaining("slow down");

		assertThat(xref.requests("/auth")).hasSize(1);
		assertThat(this.store.findByTenant("acme")).get()
			.satisfies((connection) -> assertThat(connection.accessToken()).isEqualTo(token));
		assertThat(xref.validTokens()).contains(token);
		assertThat(this.xrefApi.auth()).as("the next call").contains("acct-acme");
	}

	static Stream<Arguments> callsAndAnswers() {
		return Stream.of("xrefRestClient", "xrefWebClient", "HTTP service client", "verify()")
			.flatMap((call) -> Stream.of(
					arguments(call, "Retry-After: 7", rateLimited("7"), exactly(Duration.ofSeconds(7))),
					// The date is written when the call starts; the wait is read when
					// Xref's
					// answer arrives, within the minute of margin below
					arguments(call, "Retry-After: an HTTP date 2 minutes ahead",
							rateLimited(() -> httpDate(Instant.now().plusSeconds(120))),
							(Consumer<Duration>) (wait) -> assertThat(wait).isBetween(Duration.ofSeconds(60),
									Duration.ofSeconds(120))),
					arguments(call, "Retry-After: an HTTP date in the past",
							rateLimited("Sun, 06 Nov 1994 08:49:37 GMT"), exactly(Duration.ZERO)),
					arguments(call, "no Retry-After", rateLimited(() -> null), exactly(Duration.ofSeconds(60)))));
	}

	private void call(String call) {
		switch (call) {
			case "xrefRestClient" -> this.xrefRestClient.post().uri("/auth").retrieve().body(String.class);
			case "xrefWebClient" -> this.xrefWebClient.post().uri("/auth").retrieve().bodyToMono(String.class).block();
			case "HTTP service client" -> this.xrefApi.auth();
			case "verify()" -> this.connections.verify();
			default -> throw new IllegalArgumentException(call);
		}
	}

	private static Supplier<MockResponse> rateLimited(String retryAfter) {
		return rateLimited(() -> retryAfter);
	}

	private static Supplier<MockResponse> rateLimited(Supplier<@Nullable String> retryAfter) {
		return () -> {
			MockResponse.Builder response = new MockResponse.Builder().code(429)
				.addHeader("Content-Type", "application/json")
				.body("{\"error\":\"slow down\"}");
			String value = retryAfter.get();
			return ((value != null) ? response.addHeader("Retry-After", value) : response).build();
		};
	}

	private static Consumer<Duration> exactly(Duration expected) {
		return (wait) -> assertThat(wait).isEqualTo(expected);
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
	}

	interface XrefApi {

		@PostExchange("/auth")
		String auth();

	}

	@TestConfiguration(proxyBeanMethods = false)
	@ImportHttpServices(group = "xref", types = XrefApi.class)
	static class Clients {

	}

}
