package io.github.xrefoauth.webhook;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver alone: a body without a length is read only up to the bound, and the
 * verifier decides between verified, unverified and refused.
 */
class XrefWebhookReceiverTests {

	static final String PATH = "/hooks/xref";

	final XrefWebhookStatistics statistics = new XrefWebhookStatistics();

	final List<Object> published = new ArrayList<>();

	@Test
	void aBodyOfUnknownLengthIsReadOnlyUpToTheBound() throws IOException {
		XrefWebhookReceiver receiver = receiver(XrefWebhookVerifier.unverified());
		AtomicLong read = new AtomicLong();
		MockHttpServletRequest post = post("application/json", "");
		HttpServletRequestWrapper endless = new HttpServletRequestWrapper(post) {

			@Override
			public long getContentLengthLong() {
				return -1;
			}

			@Override
			public int getContentLength() {
				return -1;
			}

			@Override
			public ServletInputStream getInputStream() {
				return new EndlessInput(read);
			}

		};
		MockHttpServletResponse response = new MockHttpServletResponse();

		receiver.receive(endless, response);

		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(read.get()).isEqualTo(101);
		assertThat(this.statistics.rejected()).containsEntry("payload_too_large", 1L);
		assertThat(this.published).isEmpty();
	}

	@Test
	void aDeliveryTheVerifierProvesIsPublishedAsVerified() throws IOException {
		MockHttpServletResponse response = receive(receiver((delivery) -> XrefWebhookVerification.VERIFIED),
				post("application/vnd.xref+json; charset=UTF-8", "[1,2]"));

		assertThat(response.getStatus()).isEqualTo(204);
		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(XrefWebhookReceivedEvent.class, (event) -> assertThat(event.verified()).isTrue());
		assertThat(this.statistics.verified()).isOne();
	}

	@Test
	void aDeliveryTheVerifierRefusesOrCannotCheckIsForbiddenAndCounted() throws IOException {
		MockHttpServletResponse refused = receive(receiver((delivery) -> XrefWebhookVerification.REJECTED),
				post("application/json", "{}"));
		MockHttpServletResponse failed = receive(receiver((delivery) -> {
			throw new IllegalStateException("verifier bug");
		}), post("application/json", "{}"));

		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(failed.getStatus()).isEqualTo(403);
		assertThat(this.statistics.rejected()).containsEntry("not_verified", 2L);
		assertThat(this.published).isEmpty();
	}

	@Test
	void aContentTypeThatIsNotJsonOrNotParsableIsUnsupported() throws IOException {
		assertThat(receive(receiver(XrefWebhookVerifier.unverified()), post("not a type", "{}")).getStatus())
			.isEqualTo(415);
		assertThat(receive(receiver(XrefWebhookVerifier.unverified()), post("*/*", "{}")).getStatus()).isEqualTo(415);
		assertThat(receive(receiver(XrefWebhookVerifier.unverified()), post("application/jsonx", "{}")).getStatus())
			.isEqualTo(415);
	}

	@Test
	void refusalsAreProblemDetailsThatNameTheReasonOnly() throws IOException {
		MockHttpServletResponse response = receive(receiver(XrefWebhookVerifier.unverified()),
				post("application/json", "{\"secret\":"));

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"reason\":\"malformed_json\"").doesNotContain("secret");
	}

	private XrefWebhookReceiver receiver(XrefWebhookVerifier verifier) {
		XrefWebhookReceiver receiver = new XrefWebhookReceiver(PATH, 100, verifier, this.statistics);
		receiver.setApplicationEventPublisher(this.published::add);
		return receiver;
	}

	private static MockHttpServletResponse receive(XrefWebhookReceiver receiver, MockHttpServletRequest request)
			throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		receiver.receive(request, response);
		return response;
	}

	private static MockHttpServletRequest post(String contentType, String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", PATH);
		request.addHeader("Content-Type", contentType);
		request.setContent(body.getBytes());
		return request;
	}

	/**
	 * A body that never ends, counting what is read of it.
	 */
	static final class EndlessInput extends ServletInputStream {

		private final AtomicLong read;

		EndlessInput(AtomicLong read) {
			this.read = read;
		}

		@Override
		public int read() {
			this.read.incrementAndGet();
			return ' ';
		}

		@Override
		public boolean isFinished() {
			return false;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener readListener) {
		}

	}

}
