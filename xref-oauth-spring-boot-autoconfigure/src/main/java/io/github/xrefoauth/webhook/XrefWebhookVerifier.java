package io.github.xrefoauth.webhook;

/**
 * Decides whether a webhook delivery comes from Xref. Xref documents no signature yet, so
 * the default accepts every well-formed delivery as
 * {@link XrefWebhookVerification#UNVERIFIED unverified}; define a bean of this type once
 * Xref says how deliveries are signed.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface XrefWebhookVerifier {

	/**
	 * Verifies a delivery.
	 * @param delivery the delivery, its body already checked to be JSON within the size
	 * bound
	 * @return the verdict; a verifier that throws rejects the delivery
	 */
	XrefWebhookVerification verify(XrefWebhookDelivery delivery);

	/**
	 * Returns the verifier that accepts every delivery as unverified.
	 * @return the verifier
	 */
	static XrefWebhookVerifier unverified() {
		return (delivery) -> XrefWebhookVerification.UNVERIFIED;
	}

}
