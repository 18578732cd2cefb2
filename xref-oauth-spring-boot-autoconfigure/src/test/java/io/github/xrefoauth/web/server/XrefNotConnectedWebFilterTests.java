package io.github.xrefoauth.web.server;

import java.util.ArrayList;
import java.util.List;

import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.client.XrefBusyException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class XrefNotConnectedWebFilterTests {

	private final List<RuntimeException> handled = new ArrayList<>();

	private final XrefNotConnectedWebFilter filter = new XrefNotConnectedWebFilter((exchange, exception) -> {
		this.handled.add(exception);
		return Mono.empty();
	});

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/report"));

	@Test
	void notConnectedFromTheRestOfTheChainIsHandedToTheHandler() {
		XrefNotConnectedException notConnected = new XrefNotConnectedException("tenant acme");

		StepVerifier.create(this.filter.filter(this.exchange, failingWith(notConnected))).verifyComplete();

		assertThat(this.handled).containsExactly(notConnected);
	}

	@Test
	void notConnectedIsFoundWhenWrapped() {
		XrefNotConnectedException notConnected = new XrefNotConnectedException("tenant acme");
		ClientAuthorizationRequiredException required = new ClientAuthorizationRequiredException("xref");

		StepVerifier
			.create(this.filter.filter(this.exchange, failingWith(new IllegalStateException("call", notConnected))))
			.verifyComplete();
		StepVerifier.create(this.filter.filter(this.exchange, failingWith(new RuntimeException(required))))
			.verifyComplete();

		assertThat(this.handled).containsExactly(notConnected, required);
	}

	@Test
	void otherFailuresPassUnchanged() {
		XrefBusyException busy = new XrefBusyException(2);
		ClientAuthorizationRequiredException github = new ClientAuthorizationRequiredException("github");

		StepVerifier.create(this.filter.filter(this.exchange, failingWith(busy))).verifyErrorSatisfies((ex) -> {
			assertThat(ex).isSameAs(busy);
		});
		StepVerifier.create(this.filter.filter(this.exchange, failingWith(github))).verifyErrorSatisfies((ex) -> {
			assertThat(ex).isSameAs(github);
		});

		assertThat(this.handled).isEmpty();
	}

	@Test
	void notConnectedAfterTheResponseWasCommittedPassesUnchanged() {
		XrefNotConnectedException notConnected = new XrefNotConnectedException("tenant acme");
		WebFilterChain chain = (exchange) -> exchange.getResponse().setComplete().then(Mono.error(notConnected));

		StepVerifier.create(this.filter.filter(this.exchange, chain)).verifyErrorSatisfies((ex) -> {
			assertThat(ex).isSameAs(notConnected);
		});

		assertThat(this.handled).isEmpty();
	}

	private static WebFilterChain failingWith(RuntimeException ex) {
		return (exchange) -> Mono.error(ex);
	}

}
