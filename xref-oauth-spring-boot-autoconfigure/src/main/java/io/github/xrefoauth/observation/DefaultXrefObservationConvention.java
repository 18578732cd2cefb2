package io.github.xrefoauth.observation;

import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.observation.XrefObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The default {@link XrefObservationConvention}: the name of the step
 * ({@code xref.connect}, {@code xref.token.exchange}, {@code xref.deauthorize},
 * {@code xref.health.check}), {@code outcome} ({@code success}, {@code failure},
 * {@code pending} for a connect whose outcome is not known yet, or {@code broken} for a
 * health check that found a token rejected) and {@code reason} (a failure code or
 * {@code none}).
 *
 * @since 0.1.0
 */
public final class DefaultXrefObservationConvention implements XrefObservationConvention {

	/**
	 * The reason of a health check that found its token rejected by Xref; its outcome is
	 * {@code broken}.
	 */
	public static final String TOKEN_REJECTED = "token_rejected";

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
		if (TOKEN_REJECTED.equals(reason)) {
			return "broken";
		}
		return XrefConnectFailure.OUTCOME_PENDING.code().equals(reason) ? "pending" : "failure";
	}

}
