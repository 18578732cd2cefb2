package io.github.xrefoauth.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the Xref flow and their low-cardinality keys. With Micrometer
 * metrics each becomes a timer of the same name tagged {@code outcome} and
 * {@code reason}.
 *
 * @since 0.1.0
 */
public enum XrefObservationDocumentation implements ObservationDocumentation {

	/**
	 * A connect, from Xref's callback (or a connect that could not start) to the stored
	 * token; {@code reason} is the {@code XrefConnectFailure} code, or {@code none}.
	 */
	CONNECT("xref.connect"),

	/**
	 * The exchange of the code for a token at Xref ({@code POST /oauth/tokens}).
	 */
	TOKEN_EXCHANGE("xref.token.exchange"),

	/**
	 * The revocation of a token at Xref ({@code POST /oauth/deauthorize}) on a
	 * disconnect.
	 */
	DEAUTHORIZE("xref.deauthorize"),

	/**
	 * The health check's check of one stored token ({@code POST /auth}); {@code outcome}
	 * is {@code success} when Xref accepted the token (or rejected one that the store had
	 * replaced meanwhile), {@code broken} when Xref rejected it and the store marked the
	 * connection as needing a reconnect ({@code reason} {@code token_rejected}), and
	 * {@code failure} when it could not be checked ({@code reason} the exception type).
	 */
	HEALTH_CHECK("xref.health.check");

	private final String name;

	XrefObservationDocumentation(String name) {
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultXrefObservationConvention.class;
	}

	@Override
	public KeyName[] getLowCardinalityKeyNames() {
		return LowCardinalityKeyNames.values();
	}

	/**
	 * Keys of few values, fit for metric tags.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * {@code success}, {@code failure}, {@code pending} for a connect whose outcome
		 * is not known yet, or {@code broken} for a health check that found a token
		 * rejected.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * Why it failed: a connect's failure code, the exception type of a call, or
		 * {@code none}.
		 */
		REASON {
			@Override
			public String asString() {
				return "reason";
			}
		}

	}

}
