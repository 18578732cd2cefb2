package io.github.xrefoauth.webhook;

import org.springframework.util.Assert;

/**
 * A webhook delivery that the receiver accepted. Unless {@link #verified()}, its content
 * is what anyone who knows the URL could send: check it against Xref (for example with a
 * call through {@code xrefRestClient}) before acting on it.
 *
 * @param delivery the delivery
 * @param verified whether the {@link XrefWebhookVerifier} proved it comes from Xref
 * @since 0.1.0
 */
public record XrefWebhookReceivedEvent(XrefWebhookDelivery delivery, boolean verified) {

	public XrefWebhookReceivedEvent {
		Assert.notNull(delivery, "delivery cannot be null");
	}

}
