package io.github.xrefoauth.observation;

import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.observation.XrefObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The default {@link XrefObservationConvention}: the name of the step
 * ({@code xref.connect}, {@code xref.token.exchange}, {@code xref.deauthorize}),
 * {@code outcome} ({@code success}, {@code failure}, or {@code pending} for a connect
 * whose outcome is not known yet) and {@code reason} (a failure code or {@code none}).
 *
 * @since 0.1.0
 */
public final class DefaultXrefObservationConvention implements XrefObservationConvention {

	private final XrefObservationDocumentation observation;

	/**
	 * Creates the convention of one step.
	 * @param observation the step
	 */
	public DefaultXrefObservationConvention(XrefObservationDocumentation observation) {
		Assert.notNull(observation, "observation cannot be null");
		this.observation = observation;
	}

	@Override
	public String getName() {
		return this.observation.getName();
	}

	@Override
	public String getContextualName(XrefObservationContext context) {
		return context.getObservation().getName().replace('.', ' ');
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(XrefObservationContext context) {
		String reason = context.getFailureReason();
		return KeyValues.of(LowCardinalityKeyNames.OUTCOME.withValue(outcome(reason)),
				LowCardinalityKeyNames.REASON.withValue((reason != null) ? reason : "none"));
	}

	private static String outcome(@Nullable String reason) {
		if (reason == null) {
			return "success";
		}
		return XrefConnectFailure.OUTCOME_PENDING.code().equals(reason) ? "pending" : "failure";
	}

}
