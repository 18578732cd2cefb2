package io.github.xrefoauth.internal;

import java.util.function.Function;
import java.util.function.Supplier;

import io.github.xrefoauth.observation.DefaultXrefObservationConvention;
import io.github.xrefoauth.observation.XrefObservationContext;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Runs a step of the Xref flow inside its observation.
 *
 * @since 0.1.0
 */
public final class XrefObservations {

	private final ObservationRegistry registry;

	/**
	 * Creates observations in the given registry.
	 * @param registry the registry; {@link ObservationRegistry#NOOP} observes nothing
	 */
	public XrefObservations(ObservationRegistry registry) {
		Assert.notNull(registry, "registry cannot be null");
		this.registry = registry;
	}

	/**
	 * Observes a step that fails by throwing; the exception's type is the reason.
	 * @param <T> the result type
	 * @param observation the step
	 * @param step the step
	 * @return what the step returned
	 */
	public <T> T observe(XrefObservationDocumentation observation, Supplier<T> step) {
		return observe(observation, step, (result) -> null);
	}

	/**
	 * Observes a step that reports failures in its result, or by throwing.
	 * @param <T> the result type
	 * @param observation the step
	 * @param step the step
	 * @param failureReason the failure code of a result, {@code null} for a success
	 * @return what the step returned
	 */
	public <T extends @Nullable Object> T observe(XrefObservationDocumentation observation, Supplier<T> step,
			Function<T, @Nullable String> failureReason) {
		XrefObservationContext context = new XrefObservationContext(observation);
		Observation running = observation
			.observation(null, new DefaultXrefObservationConvention(observation), () -> context, this.registry)
			.start();
		try (Observation.Scope scope = running.openScope()) {
			T result = step.get();
			context.setFailureReason(failureReason.apply(result));
			return result;
		}
		catch (RuntimeException ex) {
			context.setFailureReason(ex.getClass().getSimpleName());
			running.error(ex);
			throw ex;
		}
		finally {
			running.stop();
		}
	}

}
