package io.github.xrefoauth.client.internal;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.xrefoauth.client.XrefBusyException;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link XrefConcurrencyLimitFilterFunction} counts a call from its subscription until
 * its answer, failure or cancellation, against the bound of the transport.
 */
class XrefConcurrencyLimitFilterFunctionTests {

	private final XrefHttpTransport transport = new XrefHttpTransport(() -> {
		throw new IllegalStateException("no HTTP client in these tests");
	}, 1);

	private final XrefConcurrencyLimitFilterFunction filter = new XrefConcurrencyLimitFilterFunction(this.transport);

	private final ClientRequest request = ClientRequest.create(HttpMethod.POST, URI.create("http://xref.test/auth"))
		.build();

	private final AtomicInteger sent = new AtomicInteger();

	@Test
	void aCallInProgressHoldsTheBoundAndTheNextIsNotSent() {
		Disposable inProgress = this.filter.filter(this.request, exchange(Mono.never())).subscribe();

		assertThatExceptionOfType(XrefBusyException.class)
			.isThrownBy(() -> this.filter.filter(this.request, exchange(answer())).block());
		assertThat(this.sent).hasValue(1);
		inProgress.dispose();
	}

	@Test
	void answeredFailedAndCancelledCallsCountOut() {
		this.filter.filter(this.request, exchange(answer())).block();
		assertThatIllegalStateException().isThrownBy(
				() -> this.filter.filter(this.request, exchange(Mono.error(new IllegalStateException("refused"))))
					.block());
		this.filter.filter(this.request, exchange(Mono.never())).subscribe().dispose();

		assertThat(this.filter.filter(this.request, exchange(answer())).block().statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).hasValue(4);
	}

	@Test
	void aCallCountsOutBeforeItsAnswerIsPassedOn() {
		// An answer whose exchange has not completed yet: the filter before sends the
		// request once more as soon as it sees the answer.
		Mono<ClientResponse> answerNotCompleted = Mono.fromDirect(Flux.concat(answer(), Mono.never()));

		ClientResponse again = this.filter.filter(this.request, exchange(answerNotCompleted))
			.flatMap((first) -> this.filter.filter(this.request, exchange(answer())))
			.block();

		assertThat(again.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).hasValue(2);
	}

	@Test
	void theBoundIsTheTransports() {
		this.transport.concurrencyLimit().acquire();

		assertThatExceptionOfType(XrefBusyException.class)
			.isThrownBy(() -> this.filter.filter(this.request, exchange(answer())).block());
		assertThat(this.sent).hasValue(0);
	}

	private ExchangeFunction exchange(Mono<ClientResponse> response) {
		return (request) -> {
			this.sent.incrementAndGet();
			return response;
		};
	}

	private static Mono<ClientResponse> answer() {
		return Mono.just(ClientResponse.create(HttpStatus.OK).build());
	}

}
