package io.github.xrefoauth.flow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.assertj.core.groups.Tuple;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A recording observation registry for the flow tests of either web stack, and the
 * {@code xref.*} observations it handled.
 */
@TestConfiguration(proxyBeanMethods = false)
public class XrefObservationRecording {

	@Bean
	TestObservationRegistry observationRegistry() {
		return TestObservationRegistry.create();
	}

	/**
	 * Returns the {@code xref.*} observations handled so far as (name, outcome, reason).
	 * @param observations the registry
	 * @return the observations, in the order they started
	 */
	public static List<Tuple> observed(TestObservationRegistry observations) {
		List<Tuple> observed = new CopyOnWriteArrayList<>();
		assertThat(observations).hasHandledContextsThatSatisfy((contexts) -> {
			for (Observation.Context context : contexts) {
				if (context.getName().startsWith("xref.")) {
					observed.add(tuple(context.getName(), value(context, "outcome"), value(context, "reason")));
				}
			}
		});
		return observed;
	}

	private static String value(Observation.Context context, String key) {
		return context.getLowCardinalityKeyValue(key).getValue();
	}

}
