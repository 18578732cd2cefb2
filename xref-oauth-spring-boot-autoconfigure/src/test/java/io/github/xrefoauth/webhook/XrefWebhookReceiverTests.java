package io.github.xrefoauth.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.xrefoauth.internal.XrefEventPublisher;
import io.github.xrefoauth.testing.MutableClock;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver alone: a body without a length is read only up to the bound, the verifier
 * decides between verified, unverified and refused, and what any sender can make fail is
 * warned about once a minute.
 */
@ExtendWith(OutputCaptureExtension.class)
class XrefWebhookReceiverTests {

	static final String PATH = "/hooks/xref";

	final XrefWebhookStatistics statistics = new XrefWebhookStatistics();

	final List<Object> published = new ArrayList<>();

	final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

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

	@Test
	void aVerifierThatFailsOnEveryDeliveryIsWarnedAboutOnceAMinuteAndEveryDeliveryIsCounted(CapturedOutput output)
			throws IOException {
		XrefWebhookReceiver receiver = receiver((delivery) -> {
			if (new String(delivery.body()).contains("fail")) {
				throw new IllegalStateException("verifier detail secret-123");
			}
			return XrefWebhookVerification.VERIFIED;
		});
		receiver.setClock(this.clock);
		for (int i = 0; i < 10; i++) {
			for (int failing = 0; failing < 4; failing++) {
				assertThat(receive(receiver, post("application/json", "{\"fail\":" + i + "}")).getStatus())
					.isEqualTo(403);
			}
			assertThat(receive(receiver, post("application/json", "{\"ok\":" + i + "}")).getStatus()).isEqualTo(204);
			assertThat(receive(receiver, post("text/plain", "{}")).getStatus()).isEqualTo(415);
			assertThat(receive(receiver, post("application/json", "{")).getStatus()).isEqualTo(400);
			assertThat(receive(receiver, new MockHttpServletRequest("GET", PATH)).getStatus()).isEqualTo(405);
			this.clock.advance(Duration.ofSeconds(5));
		}

		assertThat(warnings(output, "XrefWebhookVerifier failed"))
			.containsExactly("XrefWebhookVerifier failed, the delivery is rejected: IllegalStateException");
		assertThat(this.statistics.accepted()).isEqualTo(10);
		assertThat(this.statistics.verified()).isEqualTo(10);
		assertThat(this.statistics.rejected()).containsExactly(Map.entry("method_not_allowed", 10L),
				Map.entry("unsupported_media_type", 10L), Map.entry("payload_too_large", 0L),
				Map.entry("malformed_json", 10L), Map.entry("not_verified", 40L));
		assertThat(this.published).hasSize(10);

		this.clock.advance(Duration.ofSeconds(10));
		assertThat(receive(receiver, post("application/json", "{\"fail\":10}")).getStatus()).isEqualTo(403);

		assertThat(warnings(output, "XrefWebhookVerifier failed")).containsExactly(
				"XrefWebhookVerifier failed, the delivery is rejected: IllegalStateException",
				"XrefWebhookVerifier failed, the delivery is rejected: IllegalStateException"
						+ " (39 more since the last warning)");
		assertThat(this.statistics.rejected()).containsEntry("not_verified", 41L);
		assertThat(this.statistics.accepted() + total(this.statistics.rejected())).isEqualTo(10 * 8 + 1);
		assertThat(output).doesNotContain("secret-123");
	}

	@Test
	void aListenerThatFailsOnEveryDeliveryIsWarnedAboutOnceAMinuteAndDeliveriesAreStillAccepted(CapturedOutput output)
			throws IOException {
		XrefWebhookReceiver receiver = new XrefWebhookReceiver(PATH, 100, XrefWebhookVerifier.unverified(),
				this.statistics);
		XrefEventPublisher publisher = new XrefEventPublisher((event) -> {
			throw new IllegalStateException("listener detail secret-456");
		});
		publisher.setClock(this.clock);
		receiver.setApplicationEventPublisher(publisher);
		for (int i = 0; i < 25; i++) {
			assertThat(receive(receiver, post("application/json", "{\"n\":" + i + "}")).getStatus()).isEqualTo(204);
			this.clock.advance(Duration.ofSeconds(2));
		}

		assertThat(warnings(output, "A listener of"))
			.containsExactly("A listener of XrefWebhookReceivedEvent failed: IllegalStateException");

		this.clock.advance(Duration.ofSeconds(10));
		assertThat(receive(receiver, post("application/json", "{}")).getStatus()).isEqualTo(204);

		assertThat(warnings(output, "A listener of")).containsExactly(
				"A listener of XrefWebhookReceivedEvent failed: IllegalStateException",
				"A listener of XrefWebhookReceivedEvent failed: IllegalStateException (24 more since the last warning)");
		assertThat(this.statistics.accepted()).isEqualTo(26);
		assertThat(total(this.statistics.rejected())).isZero();
		assertThat(output).doesNotContain("secret-456");
	}

	/** Returns the messages of the WARN lines that start with the given text. */
	private static List<String> warnings(CapturedOutput output, String start) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains(start))
			.map((line) -> line.substring(line.indexOf(start)))
			.toList();
	}

	private static long total(Map<String, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
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
