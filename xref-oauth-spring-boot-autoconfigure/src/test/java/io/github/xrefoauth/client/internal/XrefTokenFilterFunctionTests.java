package io.github.xrefoauth.client.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.event.XrefRevokedEvent;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class XrefTokenFilterFunctionTests {

	private final MockWebServer server = new MockWebServer();

	private final List<String> storeThreads = new CopyOnWriteArrayList<>();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	/** The store, recording the threads that look up a tenant. */
	private final XrefAccountStore recordingStore = new XrefAccountStore() {

		@Override
		public void save(String tenantKey, XrefConnection connection) {
			XrefTokenFilterFunctionTests.this.store.save(tenantKey, connection);
		}

		@Override
		public Optional<XrefConnection> findByTenant(String tenantKey) {
			XrefTokenFilterFunctionTests.this.storeThreads.add(Thread.currentThread().getName());
			return XrefTokenFilterFunctionTests.this.store.findByTenant(tenantKey);
		}

		@Override
		public Optional<XrefConnection> findByAccount(String xrefAccountId) {
			return XrefTokenFilterFunctionTests.this.store.findByAccount(xrefAccountId);
		}

		@Override
		public boolean deleteAccount(String xrefAccountId) {
			return XrefTokenFilterFunctionTests.this.store.deleteAccount(xrefAccountId);
		}

		@Override
		public boolean deleteByAccessToken(String accessToken) {
			return XrefTokenFilterFunctionTests.this.store.deleteByAccessToken(accessToken);
		}

	};

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private WebClient webClient;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		XrefTenantResolver tenants = (authentication) -> "tenant-of-" + authentication.getName();
		String apiUri = this.server.url("/").toString();
		XrefTokenFilterFunction filter = new XrefTokenFilterFunction(this.recordingStore,
				new ReactiveXrefTenantContext(tenants), new XrefTenantContext(tenants), apiUri);
		filter.setApplicationEventPublisher(this.events::add);
		this.webClient = WebClient.builder().baseUrl(apiUri).filter(filter).build();
		this.store.save("tenant-of-alice", connection("acct-1", "token-1"));
		this.store.save("batch", connection("acct-2", "token-2"));
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@Test
	void endUserOfTheReactiveSecurityContextCallsWithTheTokenOfTheirTenant() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());

		this.webClient.post()
			.uri("/auth")
			.retrieve()
			.toBodilessEntity()
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER")))
			.block();

		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1");
		assertThat(this.storeThreads).singleElement().asString().startsWith("boundedElastic-");
	}

	@Test
	void inAServletApplicationTheEndUserComesFromTheSecurityContextHolder() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));

		this.webClient.post().uri("/auth").retrieve().toBodilessEntity().block();

		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1");
	}

	@Test
	void namedAccountOrTenantNeedsNoEndUser() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.server.enqueue(new MockResponse.Builder().code(200).build());

		this.webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-2"))
			.retrieve()
			.toBodilessEntity()
			.block();
		this.webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.tenant("batch"))
			.retrieve()
			.toBodilessEntity()
			.block();

		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-2");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-2");
	}

	@Test
	void callThatNamesAnAccountOrTenantRunsNoTenantResolver() throws Exception {
		AtomicInteger resolved = new AtomicInteger();
		XrefTenantResolver counting = (authentication) -> {
			resolved.incrementAndGet();
			return "tenant-of-" + authentication.getName();
		};
		String apiUri = this.server.url("/").toString();
		WebClient counted = WebClient.builder()
			.baseUrl(apiUri)
			.filter(new XrefTokenFilterFunction(this.recordingStore, new ReactiveXrefTenantContext(counting),
					new XrefTenantContext(counting), apiUri))
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(200).build());
		}

		for (Consumer<Map<String, Object>> named : List.of(XrefRequestAttributes.account("acct-2"),
				XrefRequestAttributes.tenant("batch"))) {
			counted.post()
				.uri("/auth")
				.attributes(named)
				.retrieve()
				.toBodilessEntity()
				.contextWrite(ReactiveSecurityContextHolder
					.withAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER")))
				.block();
		}
		assertThat(resolved).hasValue(0);
		counted.post().uri("/auth").retrieve().toBodilessEntity().block();

		assertThat(resolved).hasValue(1);
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-2");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-2");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1");
	}

	@Test
	void withoutEndUserOrNamedAccountNothingIsSent() {
		assertThatExceptionOfType(XrefNotConnectedException.class)
			.isThrownBy(() -> this.webClient.post().uri("/auth").retrieve().toBodilessEntity().block());
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> this.webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("unknown"))
			.retrieve()
			.toBodilessEntity()
			.block());
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void tokensGoOnlyToTheApiOrigin() throws Exception {
		try (MockWebServer elsewhere = new MockWebServer()) {
			elsewhere.start(InetAddress.getLoopbackAddress(), 0);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.webClient.get()
					.uri(elsewhere.url("/steal").uri())
					.attributes(XrefRequestAttributes.account("acct-2"))
					.retrieve()
					.toBodilessEntity()
					.block())
				.withMessageContaining("only to")
				.withMessageNotContaining("token-2");
			assertThat(elsewhere.getRequestCount()).isZero();
		}
	}

	@Test
	void unauthorizedForgetsExactlyThatTokenAndReachesTheCaller() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThatExceptionOfType(WebClientResponseException.Unauthorized.class).isThrownBy(() -> this.webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-1"))
			.retrieve()
			.toBodilessEntity()
			.block());

		assertThat(this.store.findByAccount("acct-1")).isEmpty();
		assertThat(this.store.findByAccount("acct-2")).isPresent();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefRevokedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly(null, "acct-1", null));
	}

	@Test
	void unauthorizedForTheEndUsersTenantIsARevokedEventNamingBoth() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThatExceptionOfType(WebClientResponseException.Unauthorized.class).isThrownBy(() -> this.webClient.post()
			.uri("/auth")
			.retrieve()
			.toBodilessEntity()
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER")))
			.block());

		assertThat(this.store.findByTenant("tenant-of-alice")).isEmpty();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefRevokedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly("tenant-of-alice", "acct-1", "alice"));
	}

	@Test
	void unauthorizedInAServletApplicationNamesTheEndUserOfTheSubscribingThread() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken("alice", "n/a", "ROLE_USER"));

		assertThatExceptionOfType(WebClientResponseException.Unauthorized.class)
			.isThrownBy(() -> this.webClient.post().uri("/auth").retrieve().toBodilessEntity().block());

		assertThat(this.store.findByTenant("tenant-of-alice")).isEmpty();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefRevokedEvent.class,
					(event) -> assertThat(event).extracting("tenantKey", "xrefAccountId", "endUser")
						.containsExactly("tenant-of-alice", "acct-1", "alice"));
	}

	@Test
	void unauthorizedForAnOlderTokenKeepsTheAccountsNewerTokenAndSendsTheCallOnceMoreWithIt() throws Exception {
		Mono<?> call = this.webClient.post()
			.uri("/auth")
			.attributes(XrefRequestAttributes.account("acct-1"))
			.retrieve()
			.toBodilessEntity();
		// The account reconnects while the call with token-1 is on its way.
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				XrefTokenFilterFunctionTests.this.store.save("tenant-of-alice", connection("acct-1", "token-1-new"));
				boolean revoked = "Token token-1".equals(request.getHeaders().get("Authorization"));
				return new MockResponse.Builder().code(revoked ? 401 : 200).build();
			}
		});

		call.block();

		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Token token-1-new");
		assertThat(this.store.findByAccount("acct-1")).map(XrefConnection::accessToken).contains("token-1-new");
		assertThat(this.events).isEmpty();
	}

	private static XrefConnection connection(String accountId, String token) {
		return new XrefConnection(accountId, token, Instant.parse("2026-01-01T00:00:00Z"), "someone");
	}

}
