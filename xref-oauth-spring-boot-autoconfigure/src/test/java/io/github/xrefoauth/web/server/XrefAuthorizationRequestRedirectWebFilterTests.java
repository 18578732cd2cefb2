package io.github.xrefoauth.web.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.ReactiveXrefTenantContext;
import io.github.xrefoauth.account.XrefTenantResolver;
import io.github.xrefoauth.connect.XrefClientRegistrations;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectFailure;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux redirect filter with the start check of the callback handler, as the
 * starter wires them: a connect that could never complete is refused before anything is
 * saved and before the end user is sent to Xref, as on the servlet stack.
 */
class XrefAuthorizationRequestRedirectWebFilterTests {

	private final WebSessionServerXrefAuthorizationRequestRepository repository = new WebSessionServerXrefAuthorizationRequestRepository();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@ParameterizedTest
	@ValueSource(strings = { "returns no tenant", "throws" })
	void endUserWithoutTenantIsRefusedBeforeAnythingIsSavedOrXrefIsVisited(String resolver) {
		MockServerWebExchange exchange = start(filter((authentication) -> {
			if (resolver.equals("throws")) {
				throw new IllegalStateException("directory down");
			}
			return null;
		}), UsernamePasswordAuthenticationToken.authenticated("mallory", null, List.of()));

		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/?xref_error=no_tenant");
		assertThat(exchange.getSession().block().getAttributes()).as("nothing saved").isEmpty();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefConnectFailedEvent.class,
					(event) -> assertThat(event).extracting("reason", "endUser")
						.containsExactly(XrefConnectFailure.NO_TENANT, "mallory"));
	}

	@Test
	void anonymousEndUserIsRefusedBeforeAnythingIsSaved() {
		MockServerWebExchange exchange = start(filter(XrefTenantResolver.principalName()), null);

		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/?xref_error=not_authenticated");
		assertThat(exchange.getSession().block().getAttributes()).isEmpty();
	}

	@Test
	void endUserWithTenantIsSentToXrefWithThePendingRequestSaved() {
		MockServerWebExchange exchange = start(filter(XrefTenantResolver.principalName()),
				UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()));

		assertThat(exchange.getResponse().getHeaders().getLocation().toString())
			.startsWith("https://login.xref.test/oauth/open-api/client-1?state=");
		assertThat(exchange.getSession().block().getAttributes()).isNotEmpty();
		assertThat(this.events).isEmpty();
	}

	private XrefAuthorizationRequestRedirectWebFilter filter(XrefTenantResolver tenantResolver) {
		XrefConnectManager manager = new XrefConnectManager((code) -> {
			throw new AssertionError("no exchange");
		}, new InMemoryXrefAccountStore());
		manager.setApplicationEventPublisher(this.events::add);
		ServerXrefCallbackHandler handler = new ServerXrefCallbackHandler("/integrations/xref", this.repository,
				new ReactiveXrefTenantContext(tenantResolver), manager);
		XrefAuthorizationRequestRedirectWebFilter filter = new XrefAuthorizationRequestRedirectWebFilter(
				new ServerXrefAuthorizationRequestResolver(XrefClientRegistrations.create("client-1", "secret-1",
						"https://platform.example/integrations/xref", "https://login.xref.test",
						"https://api.xref.test")),
				this.repository, handler::startFailed);
		filter.setStartCheck(handler::checkStart);
		return filter;
	}

	private static MockServerWebExchange start(XrefAuthorizationRequestRedirectWebFilter filter,
			@Nullable Authentication endUser) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/oauth2/authorization/xref"));
		Mono<Void> filtered = filter.filter(exchange, (chained) -> Mono.error(new AssertionError("chain ran")));
		if (endUser != null) {
			filtered = filtered.contextWrite(ReactiveSecurityContextHolder.withAuthentication(endUser));
		}
		filtered.block();
		return exchange;
	}

}
