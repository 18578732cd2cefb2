package io.github.xrefoauth.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.xrefoauth.observation.DefaultXrefObservationConvention;
import io.github.xrefoauth.observation.XrefObservationContext;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Observes WebFlux steps with the {@code xref.*} observations: the reactive counterpart
 * of {@code XrefObservations}. An observation ends before the step's outcome reaches the
 * subscriber, and is the current observation in the step's Reactor context.
 *
 * @since 0.1.0
 */
public final class ReactiveXrefObservations {

	private final ObservationRegistry registry;

	/**
	 * Creates the observations of a registry.
	 * @param registry the registry, or {@link ObservationRegistry#NOOP}
	 */
	public ReactiveXrefObservations(ObservationRegistry registry) {
		Assert.notNull(registry, "registry cannot be null");
		this.registry = registry;
	}

	/**
	 * Observes a step that reports failures by ending with an error.
	 * @param <T> the type of the step's value
	 * @param observation the step
	 * @param step the step
	 * @return the step, observed
	 */
	public <T> Mono<T> observe(XrefObservationDocumentation observation, Mono<T> step) {
		return observe(observation, step, (value) -> null);
	}

	/**
	 * Observes a step that reports failures in its value, or by ending with an error.
	 * @param <T> the type of the step's value
	 * @param observation the step
	 * @param step the step
	 * @param failureReason the failure code of a value, {@code null} for a success
	 * @return the step, observed
	 */
	public <T> Mono<T> observe(XrefObservationDocumentation observation, Mono<T> step,
			Function<@Nullable T, @Nullable String> failureReason) {
		return Mono.defer(() -> {
			XrefObservationContext context = new XrefObservationContext(observation);
			Observation running = observation
				.observation(null, new DefaultXrefObservationConvention(observation), () -> context, this.registry)
				.start();
			AtomicBoolean open = new AtomicBoolean(true);
			Runnable stop = () -> {
				if (open.compareAndSet(true, false)) {
					running.stop();
				}
			};
			return step.doOnSuccess((value) -> {
				context.setFailureReason(failureReason.apply(value));
				stop.run();
			}).doOnError((ex) -> {
				context.setFailureReason(ex.getClass().getSimpleName());
				running.error(ex);
				stop.run();
			})
				.doOnCancel(stop)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, running));
		});
	}

}
