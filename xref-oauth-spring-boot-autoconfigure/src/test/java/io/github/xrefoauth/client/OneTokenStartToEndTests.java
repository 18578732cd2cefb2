package io.github.xrefoauth.client;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.client.internal.XrefTokenFilterFunction;
import io.github.xrefoauth.client.internal.XrefTokenInterceptor;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disconnect and verify send exactly the token they judge and forget only that one, on
 * both stacks, while another member of the tenant connects the account anew.
 */
class OneTokenStartToEndTests {

	private final RevokingXref xref = new RevokingXref();

	private final MockWebServer server = new MockWebServer();

	private final ReconnectsMeanwhile store = new ReconnectsMeanwhile(new InMemoryXrefAccountStore(), this.xref);

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final XrefTenantResolver tenants = (authentication) -> "acme";

	private XrefConnectionService service;

	private ReactiveXrefConnectionService reactiveService;

	@BeforeEach
	void setUp() throws Exception {
		this.server.setDispatcher(this.xref);
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		String apiUri = this.server.url("/").toString();
		XrefTenantContext tenantContext = new XrefTenantContext(this.tenants);
		XrefTokenInterceptor interceptor = new XrefTokenInterceptor(this.store, tenantContext, apiUri);
		interceptor.setApplicationEventPublisher(this.events::add);
		this.service = new XrefConnectionService(this.store, tenantContext,
				RestClient.builder().baseUrl(apiUri).requestInterceptor(interceptor).build());
		this.service.setApplicationEventPublisher(this.events::add);
		ReactiveXrefTenantContext reactiveTenantContext = new ReactiveXrefTenantContext(this.tenants);
		XrefTokenFilterFunction filter = new XrefTokenFilterFunction(this.store, reactiveTenantContext, null, apiUri);
		filter.setApplicationEventPublisher(this.events::add);
		this.reactiveService = new ReactiveXrefConnectionService(this.store, reactiveTenantContext,
				WebClient.builder().baseUrl(apiUri).filter(filter).build());
		this.reactiveService.setApplicationEventPublisher(this.events::add);
		SecurityContextHolder.getContext().setAuthentication(alice());
	}

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.server.close();
	}

	@Test
	void disconnectWhileAnotherMemberReconnectsSendsTheTokenItReadAndKeepsTheNewerConnection() {
		this.store.reconnectAfterNextRead();

		this.service.disconnect();

		assertNewerConnectionKept();
	}

	@Test
	void reactiveDisconnectWhileAnotherMemberReconnectsSendsTheTokenItReadAndKeepsTheNewerConnection() {
		this.store.reconnectAfterNextRead();

		asAlice(this.reactiveService.disconnect());

		assertNewerConnectionKept();
	}

	@Test
	void disconnectThatXrefAnswersAfterAReconnectPublishesNothing() {
		this.xref.onDeauthorize(this.store::reconnect);

		this.service.disconnect();

		assertNewerConnectionKept();
	}

	@Test
	void reactiveDisconnectThatXrefAnswersAfterAReconnectPublishesNothing() {
		this.xref.onDeauthorize(this.store::reconnect);

		asAlice(this.reactiveService.disconnect());

		assertNewerConnectionKept();
	}

	@Test
	void verifyWhileAnotherMemberReconnectsJudgesTheTokenItRead() {
		this.store.reconnectAfterNextRead();

		assertThat(this.service.verify()).isEqualTo(XrefVerification.REPLACED);

		assertNewerConnectionKept();
	}

	@Test
	void reactiveVerifyWhileAnotherMemberReconnectsJudgesTheTokenItRead() {
		this.store.reconnectAfterNextRead();

		assertThat(asAlice(this.reactiveService.verify())).isEqualTo(XrefVerification.REPLACED);

		assertNewerConnectionKept();
	}

	@Test
	void disconnectPublishesOneEventForTheOneConnectionItForgets() {
		this.service.disconnect();

		assertThat(this.xref.received()).containsExactly("token-1");
		assertThat(this.store.findByTenant("acme")).isEmpty();
		assertThat(this.events).singleElement().isInstanceOf(XrefDisconnectedEvent.class);
	}

	/**
	 * The token read at the start was the one sent; the other member's newer token is
	 * still stored and valid at Xref, and no event claims a forgotten connection.
	 */
	private void assertNewerConnectionKept() {
		assertThat(this.xref.received()).containsExactly("token-1");
		assertThat(this.xref.honours("token-2")).isTrue();
		assertThat(this.store.findByTenant("acme")).map(XrefConnection::accessToken).contains("token-2");
		assertThat(this.events).isEmpty();
	}

	private static TestingAuthenticationToken alice() {
		return new TestingAuthenticationToken("alice", "n/a", "ROLE_USER");
	}

	private static <T> T asAlice(Mono<T> call) {
		return call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(alice())).block();
	}

}
