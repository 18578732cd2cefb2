package io.github.xrefoauth.client.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.internal.XrefRejections;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link XrefTokenInterceptor} and {@link XrefTokenFilterFunction} choose the token of a
 * call, and forget it on a {@code 401}, by the same rules: each case of one table runs
 * through {@code RestClient}, through {@code WebClient} with the reactive security
 * context, and through {@code WebClient} in a servlet application, each from the same
 * store.
 */
class XrefCallTokensTests {

	private static final String NOT_CONNECTED = XrefNotConnectedException.class.getSimpleName() + ": ";

	private final MockWebServer server = new MockWebServer();

	private final XrefTenantResolver tenants = (authentication) -> "tenant-of-" + authentication.getName();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private RestClient restClient;

	private WebClient webClient;

	private WebClient servletWebClient;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(this.store, new XrefTenantContext(this.tenants),
				apiUri);
		interceptor.setApplicationEventPublisher(this.events::add);
		this.restClient = RestClient.builder().baseUrl(apiUri).requestInterceptor(interceptor).build();
		XrefTokenFilterFunction filter = new XrefTokenFilterFunction(this.store,
				new ReactiveXrefTenantContext(this.tenants), null, apiUri);
		filter.setApplicationEventPublisher(this.events::add);
		this.webClient = WebClient.builder().baseUrl(apiUri).filter(filter).build();
		XrefTokenFilterFunction servletFilter = new XrefTokenFilterFunction(this.store,
				new ReactiveXrefTenantContext(this.tenants), new XrefTenantContext(this.tenants), apiUri);
		servletFilter.setApplicationEventPublisher(this.events::add);
		this.servletWebClient = WebClient.builder().baseUrl(apiUri).filter(servletFilter).build();
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("calls")
	void everyStackChoosesAndForgetsTheSameToken(String name, @Nullable String endUser,
			Consumer<Map<String, Object>> attributes, int status, String sent, @Nullable List<Object> revoked,
			List<String> connectedAfter) throws Exception {
		Outcome rest = outcome(status, () -> callWithRestClient(endUser, attributes));
		Outcome reactive = outcome(status, () -> callWithWebClient(endUser, attributes));
		Outcome servlet = outcome(status, () -> callWithWebClientOnAServletThread(endUser, attributes));

		assertThat(rest.sent()).isEqualTo(sent);
		assertThat(rest.revoked()).isEqualTo(revoked);
		assertThat(rest.connected()).isEqualTo(connectedAfter);
		assertThat(reactive).isEqualTo(rest);
		assertThat(servlet).isEqualTo(rest);
	}

	static Stream<Arguments> calls() {
		Consumer<Map<String, Object>> none = (attributes) -> {
		};
		Consumer<Map<String, Object>> account2 = XrefRequestAttributes.account("acct-2");
		Consumer<Map<String, Object>> batch = XrefRequestAttributes.tenant("batch");
		List<String> both = List.of("acct-1", "acct-2");
		Consumer<Map<String, Object>> pinnedOld = XrefRequestAttributes
			.connection(new XrefConnection("acct-1", "token-old", Instant.EPOCH, "alice"));
		Consumer<Map<String, Object>> pinnedStored = XrefRequestAttributes
			.connection(new XrefConnection("acct-1", "token-1", Instant.EPOCH, "alice"));
		return Stream.of(arguments("end user's tenant", "alice", none, 200, "Token token-1", null, both),
				arguments("named account", null, account2, 200, "Token token-2", null, both),
				arguments("named account over the end user's tenant", "alice", account2, 200, "Token token-2", null,
						both),
				arguments("named tenant over the end user's tenant", "alice", batch, 200, "Token token-2", null, both),
				arguments("401 for the end user's tenant", "alice", none, 401, "Token token-1",
						List.of("tenant-of-alice", "acct-1", "alice"), List.of("acct-2")),
				arguments("401 for a named account names the account's tenant", "alice", account2, 401, "Token token-2",
						List.of("batch", "acct-2", "alice"), List.of("acct-1")),
				arguments("401 for a named tenant without end user", null, batch, 401, "Token token-2",
						List.of("batch", "acct-2"), List.of("acct-1")),
				arguments("pinned connection is sent as is, never looked up", "alice", pinnedOld, 200,
						"Token token-old", null, both),
				arguments("pinned connection without end user", null, pinnedOld, 200, "Token token-old", null, both),
				arguments("401 for a pinned token the store no longer holds keeps the stored one", "alice", pinnedOld,
						401, "Token token-old", null, both),
				arguments("401 for a pinned token the store holds", "alice", pinnedStored, 401, "Token token-1",
						List.of("tenant-of-alice", "acct-1", "alice"), List.of("acct-2")),
				arguments("no end user and nothing named", null, none, 200,
						NOT_CONNECTED + "No authenticated end user and no account named with XrefRequestAttributes",
						null, both),
				arguments("unknown account", "alice", XrefRequestAttributes.account("acct-9"), 200,
						NOT_CONNECTED + "Xref account acct-9 is not connected", null, both),
				arguments("unknown tenant", null, XrefRequestAttributes.tenant("nowhere"), 200,
						NOT_CONNECTED + "Tenant nowhere has no connected Xref account", null, both),
				arguments("end user's tenant not connected", "bob", none, 200,
						NOT_CONNECTED + "Tenant tenant-of-bob has no connected Xref account", null, both));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stacks")
	void rejectedTokenPublishesOneEventNamingEveryLinkedTenantAndTheTenantsThenNeedAReconnect(String stack) {
		BiConsumer<@Nullable String, Consumer<Map<String, Object>>> call = call(stack);
		linkAliceAndBobToOneAccount();

		catchThrowable(() -> call.accept("alice", (attributes) -> {
		}));

		assertThat(this.events).singleElement().isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
			assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
				.containsExactly("tenant-of-alice", "acct-1", "alice");
			assertThat(event.tenantKeys()).containsExactlyInAnyOrder("tenant-of-alice", "tenant-of-bob");
			assertThat(event.rejectedBy()).isEqualTo(RejectedBy.API_CALL);
		});
		int requests = this.server.getRequestCount();
		assertThatExceptionOfType(XrefReconnectNeededException.class)
			.isThrownBy(() -> call.accept("bob", (attributes) -> {
			}))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().xrefAccountId()).isEqualTo("acct-1");
				assertThat(ex.getStatus().rejectedBy()).isEqualTo(RejectedBy.API_CALL);
			});
		assertThat(this.server.getRequestCount()).as("requests sent").isEqualTo(requests);
		assertThat(this.store.status("tenant-of-bob").state()).isEqualTo(XrefConnectionStatus.State.RECONNECT_NEEDED);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stacks")
	void rejectionFoundByVerifyWithoutEndUserNamesTheLinkedTenants(String stack) {
		BiConsumer<@Nullable String, Consumer<Map<String, Object>>> call = call(stack);
		XrefConnection connection = linkAliceAndBobToOneAccount();

		catchThrowable(() -> call.accept(null, XrefRequestAttributes.connection(connection)
			.andThen((attributes) -> attributes.put(XrefRejections.REJECTED_BY, RejectedBy.VERIFY))));

		assertThat(this.events).singleElement().isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
			assertThat(event.tenantKey()).isIn("tenant-of-alice", "tenant-of-bob");
			assertThat(event.tenantKeys()).containsExactlyInAnyOrder("tenant-of-alice", "tenant-of-bob");
			assertThat(event.rejectedBy()).isEqualTo(RejectedBy.VERIFY);
		});
		assertThat(this.store.status("tenant-of-alice").rejectedBy()).isEqualTo(RejectedBy.VERIFY);
	}

	static Stream<String> stacks() {
		return Stream.of("RestClient", "WebClient", "WebClient on a servlet thread");
	}

	private BiConsumer<@Nullable String, Consumer<Map<String, Object>>> call(String stack) {
		return switch (stack) {
			case "RestClient" -> this::callWithRestClient;
			case "WebClient" -> this::callWithWebClient;
			default -> this::callWithWebClientOnAServletThread;
		};
	}

	/** Links two tenants to one account, whose token Xref rejects. */
	private XrefConnection linkAliceAndBobToOneAccount() {
		XrefConnection connection = new XrefConnection("acct-1", "token-1", Instant.now(), "alice");
		this.store.save("tenant-of-alice", connection);
		this.store.save("tenant-of-bob", connection);
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(401).build();
			}

		});
		return connection;
	}

	/**
	 * Runs a call from a fresh store: what was sent (the {@code Authorization} header, or
	 * the exception that stopped the call before it was sent), the revoked event, and the
	 * accounts still connected.
	 */
	private Outcome outcome(int status, Runnable call) throws InterruptedException {
		this.store.deleteAccount("acct-1");
		this.store.deleteAccount("acct-2");
		this.store.save("tenant-of-alice", new XrefConnection("acct-1", "token-1", Instant.now(), "alice"));
		this.store.save("batch", new XrefConnection("acct-2", "token-2", Instant.now(), "someone"));
		this.events.clear();
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(status).build();
			}

		});
		int requestsBefore = this.server.getRequestCount();
		String sent;
		try {
			call.run();
			sent = authorization();
		}
		catch (HttpClientErrorException.Unauthorized | WebClientResponseException.Unauthorized ex) {
			sent = authorization();
		}
		catch (XrefNotConnectedException ex) {
			assertThat(this.server.getRequestCount()).as("requests sent").isEqualTo(requestsBefore);
			sent = NOT_CONNECTED + ex.getMessage();
		}
		List<Object> revoked = this.events.stream()
			.map(XrefRevokedEvent.class::cast)
			.map((event) -> Stream.of(event.tenantKey(), event.xrefAccountId(), event.endUser())
				.filter((value) -> value != null)
				.map(Object.class::cast)
				.toList())
			.reduce((first, second) -> {
				throw new AssertionError("more than one event: " + this.events);
			})
			.orElse(null);
		List<String> connected = Stream.of("acct-1", "acct-2")
			.filter((account) -> this.store.findByAccount(account).isPresent())
			.toList();
		return new Outcome(sent, revoked, connected);
	}

	private String authorization() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).as("request sent").isNotNull();
		return request.getHeaders().get("Authorization");
	}

	private void callWithRestClient(@Nullable String endUser, Consumer<Map<String, Object>> attributes) {
		try {
			if (endUser != null) {
				SecurityContextHolder.getContext().setAuthentication(user(endUser));
			}
			this.restClient.post().uri("/auth").attributes(attributes).retrieve().toBodilessEntity();
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private void callWithWebClient(@Nullable String endUser, Consumer<Map<String, Object>> attributes) {
		Mono<?> call = this.webClient.post().uri("/auth").attributes(attributes).retrieve().toBodilessEntity();
		if (endUser != null) {
			call = call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(user(endUser)));
		}
		call.block();
	}

	private void callWithWebClientOnAServletThread(@Nullable String endUser, Consumer<Map<String, Object>> attributes) {
		try {
			if (endUser != null) {
				SecurityContextHolder.getContext().setAuthentication(user(endUser));
			}
			this.servletWebClient.post().uri("/auth").attributes(attributes).retrieve().toBodilessEntity().block();
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private static TestingAuthenticationToken user(String name) {
		return new TestingAuthenticationToken(name, "n/a", "ROLE_USER");
	}

	private record Outcome(String sent, @Nullable List<Object> revoked, List<String> connected) {

	}

}
