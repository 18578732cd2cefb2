package io.github.xrefoauth.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.xrefoauth.event.XrefConnectedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Events reach listeners only once what they report is committed, and a failing listener
 * does not fail the change.
 */
@ExtendWith(OutputCaptureExtension.class)
class XrefEventPublisherTests {

	final List<Object> delivered = new ArrayList<>();

	final XrefEventPublisher publisher = new XrefEventPublisher(this.delivered::add);

	final TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(
			new DriverManagerDataSource("jdbc:h2:mem:xref-event-publisher;DB_CLOSE_DELAY=-1")));

	final XrefConnectedEvent event = new XrefConnectedEvent("acme", "acct-1", "alice", Instant.EPOCH);

	@Test
	void withoutATransactionTheEventIsDeliveredAtOnce() {
		this.publisher.publishEvent(this.event);

		assertThat(this.delivered).containsExactly(this.event);
	}

	@Test
	void insideATransactionTheEventWaitsForTheCommit() {
		this.transaction.executeWithoutResult((status) -> {
			this.publisher.publishEvent(this.event);
			assertThat(this.delivered).isEmpty();
		});

		assertThat(this.delivered).containsExactly(this.event);
	}

	@Test
	void aRolledBackTransactionDeliversNothing() {
		this.transaction.executeWithoutResult((status) -> {
			this.publisher.publishEvent(this.event);
			status.setRollbackOnly();
		});

		assertThat(this.delivered).isEmpty();
	}

	@Test
	void aFailingListenerIsLoggedWithoutItsMessageAndDoesNotFailThePublisher(CapturedOutput output) {
		XrefEventPublisher failing = new XrefEventPublisher((event) -> {
			throw new IllegalStateException("listener detail token-123");
		});

		assertThatNoException().isThrownBy(() -> failing.publishEvent(this.event));
		assertThat(output).contains("A listener of XrefConnectedEvent failed: IllegalStateException")
			.doesNotContain("token-123");
	}

}
