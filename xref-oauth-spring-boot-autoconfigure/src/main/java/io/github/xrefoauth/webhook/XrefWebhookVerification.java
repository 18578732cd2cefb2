package io.github.xrefoauth.webhook;

/**
 * What an {@link XrefWebhookVerifier} concluded about a delivery.
 *
 * @since 0.1.0
 */
public enum XrefWebhookVerification {

	/** The delivery is proven to come from Xref. */
	VERIFIED,

	/** The delivery is accepted, but nothing proves where it came from. */
	UNVERIFIED,

	/** The delivery is refused: answered {@code 403}, counted, not published. */
	REJECTED

}
