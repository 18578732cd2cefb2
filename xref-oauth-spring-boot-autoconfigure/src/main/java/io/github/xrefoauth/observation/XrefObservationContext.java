package io.github.xrefoauth.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What an Xref observation records: which step it is and, once it ended, why it failed.
 *
 * @since 0.1.0
 */
public final class XrefObservationContext extends Observation.Context {

	private final XrefObservationDocumentation observation;

	private @Nullable String failureReason;

	/**
	 * Creates a context.
	 * @param observation the step observed
	 */
	public XrefObservationContext(XrefObservationDocumentation observation) {
		Assert.notNull(observation, "observation cannot be null");
		this.observation = observation;
	}

	/**
	 * Returns the step observed.
	 * @return the step
	 */
	public XrefObservationDocumentation getObservation() {
		return this.observation;
	}

	/**
	 * Returns why the step failed.
	 * @return a short code, or {@code null} if it succeeded
	 */
	public @Nullable String getFailureReason() {
		return this.failureReason;
	}

	/**
	 * Sets why the step failed.
	 * @param failureReason a short code from a fixed set, or {@code null} on success
	 */
	public void setFailureReason(@Nullable String failureReason) {
		this.failureReason = failureReason;
	}

}
