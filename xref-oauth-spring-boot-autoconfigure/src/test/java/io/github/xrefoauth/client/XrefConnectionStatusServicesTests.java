package io.github.xrefoauth.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefConnectionStatus.State;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.internal.XrefTokenFilterFunction;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.testing.DelegatingXrefAccountStore;
import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Both connection services tell a tenant whose token Xref rejected apart:
 * {@code verify()} rejects the token once, naming every linked tenant, and
 * {@code status()} says a reconnect is needed, on a store that keeps the rejected
 * account's record.
 */
class XrefConnectionStatusServicesTests {

	private static final Instant CONNECTED_AT = Instant.parse("2026-01-01T10:00:00Z");

	private final MockWebServer server = new MockWebServer();

	private final InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final XrefTenantResolver tenants = (authentication) -> "acme";

	private XrefConnectionService servletService;

	private ReactiveXrefConnectionService reactiveService;

	@BeforeEach
	void setUp() throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(this.store, new XrefTenantContext(this.tenants),
				apiUri);
		interceptor.setApplicationEventPublisher(this.events::add);
		this.servletService = new XrefConnectionService(this.store, new XrefTenantContext(this.tenants),
				RestClient.builder().baseUrl(apiUri).requestInterceptor(interceptor).build());
		this.servletService.setApplicationEventPublisher(this.events::add);
		ReactiveXrefTenantContext reactiveTenants = new ReactiveXrefTenantContext(this.tenants);
		XrefTokenFilterFunction filter = new XrefTokenFilterFunction(this.store, reactiveTenants, null, apiUri);
		filter.setApplicationEventPublisher(this.events::add);
		this.reactiveService = new ReactiveXrefConnectionService(this.store, reactiveTenants,
				WebClient.builder().baseUrl(apiUri).filter(filter).build());
		this.reactiveService.setApplicationEventPublisher(this.events::add);
		XrefConnection connection = new XrefConnection("acct-1", "token-1", CONNECTED_AT, "alice");
		this.store.save("acme", connection);
		this.store.save("globex", connection);
		SecurityContextHolder.getContext().setAuthentication(bob());
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource
	void verifyOfARevokedTokenPublishesOneVerifyEventNamingEveryTenantAndTheTenantNeedsAReconnect(Stack stack) {
		assertThat(status(stack).state()).isEqualTo(State.CONNECTED);
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThat(verify(stack)).isEqualTo(XrefVerification.FORGOTTEN);

		assertThat(this.events).singleElement().isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
			assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser())).containsExactly("acme",
					"acct-1", "bob");
			assertThat(event.tenantKeys()).containsExactlyInAnyOrder("acme", "globex");
			assertThat(event.rejectedBy()).isEqualTo(RejectedBy.VERIFY);
		});
		XrefConnectionStatus status = status(stack);
		assertThat(status.state()).isEqualTo(State.RECONNECT_NEEDED);
		assertThat(status.xrefAccountId()).isEqualTo("acct-1");
		assertThat(status.connectedBy()).isEqualTo("alice");
		assertThat(status.connectedAt()).isEqualTo(CONNECTED_AT);
		assertThat(status.rejectedBy()).isEqualTo(RejectedBy.VERIFY);
		assertThatExceptionOfType(XrefReconnectNeededException.class).isThrownBy(() -> verify(stack));
		assertThat(this.server.getRequestCount()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void disconnectThatXrefAnswersWith401RemovesTheRejectedRecord(Stack stack) {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		disconnect(stack);

		assertThat(this.events).hasSize(2);
		assertThat(this.events.get(0)).isInstanceOf(XrefRevokedEvent.class);
		assertThat(this.events.get(1)).isInstanceOf(XrefDisconnectedEvent.class);
		assertThat(status(stack).state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(this.store.findTenants("acct-1")).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void disconnectOfAConnectionThatNeedsAReconnectRemovesItsRecordWithoutCallingXref(Stack stack) {
		rejectByHealthCheck();

		disconnect(stack);

		assertThat(this.events).singleElement().isInstanceOfSatisfying(XrefDisconnectedEvent.class, (event) -> {
			assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser())).containsExactly("acme",
					"acct-1", "bob");
		});
		assertThat(status(stack).state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(this.store.status("globex").state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(this.server.getRequestCount()).isZero();
		assertThatExceptionOfType(XrefNotConnectedException.class).isThrownBy(() -> disconnect(stack))
			.isNotInstanceOf(XrefReconnectNeededException.class);
	}

	@ParameterizedTest
	@EnumSource
	void forgetOfAConnectionThatNeedsAReconnectRemovesItsRecordLikeADisconnect(Stack stack) {
		rejectByHealthCheck();

		forget(stack);

		assertThat(this.events).singleElement().isInstanceOf(XrefDisconnectedEvent.class);
		assertThat(status(stack).state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(this.store.findTenants("acct-1")).isEmpty();
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void disconnectKeepsAReconnectStoredSinceTheRejection(Stack stack) {
		rejectByHealthCheck();
		XrefConnection reconnected = new XrefConnection("acct-1", "token-2", CONNECTED_AT, "carol");
		XrefAccountStore reconnectingStore = new ReconnectingStore(this.store, "acme", reconnected);
		this.servletService = new XrefConnectionService(reconnectingStore, new XrefTenantContext(this.tenants),
				RestClient.create());
		this.reactiveService = new ReactiveXrefConnectionService(reconnectingStore,
				new ReactiveXrefTenantContext(this.tenants), WebClient.create());
		this.servletService.setApplicationEventPublisher(this.events::add);
		this.reactiveService.setApplicationEventPublisher(this.events::add);

		disconnect(stack);

		assertThat(this.events).isEmpty();
		assertThat(this.store.findByTenant("acme")).contains(reconnected);
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void disconnectRemovesTheRecordThroughTheDefaultOfAStoreThatDoesNotImplementDeleteRejected(Stack stack) {
		rejectByHealthCheck();
		XrefAccountStore store = withDefaultDeleteRejected(this.store);
		this.servletService = new XrefConnectionService(store, new XrefTenantContext(this.tenants),
				RestClient.create());
		this.reactiveService = new ReactiveXrefConnectionService(store, new ReactiveXrefTenantContext(this.tenants),
				WebClient.create());
		this.servletService.setApplicationEventPublisher(this.events::add);
		this.reactiveService.setApplicationEventPublisher(this.events::add);

		disconnect(stack);

		assertThat(this.events).singleElement().isInstanceOf(XrefDisconnectedEvent.class);
		assertThat(this.store.status("acme").state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(this.store.findTenants("acct-1")).isEmpty();
	}

	private void rejectByHealthCheck() {
		XrefConnection connection = this.store.findByTenant("acme").orElseThrow();
		this.store.reject(connection, CONNECTED_AT.plusSeconds(60), RejectedBy.HEALTH_CHECK);
	}

	private XrefVerification verify(Stack stack) {
		return (stack == Stack.SERVLET) ? this.servletService.verify() : reactive(this.reactiveService::verify);
	}

	private XrefConnectionStatus status(Stack stack) {
		return (stack == Stack.SERVLET) ? this.servletService.status() : reactive(this.reactiveService::status);
	}

	private void disconnect(Stack stack) {
		if (stack == Stack.SERVLET) {
			this.servletService.disconnect();
		}
		else {
			reactive(this.reactiveService::disconnect);
		}
	}

	private void forget(Stack stack) {
		if (stack == Stack.SERVLET) {
			this.servletService.forget();
		}
		else {
			reactive(this.reactiveService::forget);
		}
	}

	private static <T> T reactive(Supplier<Mono<T>> call) {
		return call.get().contextWrite(ReactiveSecurityContextHolder.withAuthentication(bob())).block();
	}

	private static TestingAuthenticationToken bob() {
		return new TestingAuthenticationToken("bob", "n/a", "ROLE_USER");
	}

	/**
	 * A store in which a tenant member reconnects right after the status read that found
	 * the connection rejected.
	 */
	private static final class ReconnectingStore extends DelegatingXrefAccountStore {

		private final String tenantKey;

		private final XrefConnection reconnected;

		ReconnectingStore(XrefAccountStore delegate, String tenantKey, XrefConnection reconnected) {
			super(delegate);
			this.tenantKey = tenantKey;
			this.reconnected = reconnected;
		}

		@Override
		public XrefConnectionStatus status(String tenantKey) {
			XrefConnectionStatus status = super.status(tenantKey);
			if (status.state() == State.RECONNECT_NEEDED) {
				replace(this.tenantKey, this.reconnected);
			}
			return status;
		}

	}

	/**
	 * The in-memory store, which keeps rejected records, with {@code deleteRejected} left
	 * to the interface's default.
	 */
	private static XrefAccountStore withDefaultDeleteRejected(XrefAccountStore delegate) {
		return (XrefAccountStore) Proxy.newProxyInstance(XrefAccountStore.class.getClassLoader(),
				new Class<?>[] { XrefAccountStore.class }, (proxy, method, args) -> {
					if (method.getName().equals("deleteRejected")) {
						return InvocationHandler.invokeDefault(proxy, method, args);
					}
					try {
						return method.invoke(delegate, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
	}

	enum Stack {

		SERVLET, WEBFLUX

	}

}
