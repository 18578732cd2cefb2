package io.github.xrefoauth.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} for the Xref observations. To change names or keys,
 * register a {@link io.micrometer.observation.GlobalObservationConvention} for
 * {@link XrefObservationContext} (with Spring Boot, a bean of that type).
 *
 * @since 0.1.0
 */
public interface XrefObservationConvention extends ObservationConvention<XrefObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof XrefObservationContext;
	}

}
