package io.github.xrefoauth.benchmarks.startup;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows where the starter's share of start-up goes: starts {@link StartupApplication} in
 * fresh JVMs, alternately with the starter and with only its dependencies, records the
 * main thread's CPU time in each of Spring's start-up steps (without the steps nested in
 * it), and prints the steps whose mean time differs most between the two.
 * <p>
 * Run it like {@link StartupBenchmark}: <pre>
 * java -cp "xref-oauth-spring-boot-benchmarks/target/classes:$(cat xref-oauth-spring-boot-benchmarks/target/startup-classpath.txt)" \
 *     io.github.xrefoauth.benchmarks.startup.StartupStepsBenchmark [runs] [steps shown]
 * </pre>
 */
public final class StartupStepsBenchmark {

	private static final String TOTAL = "main thread to ready, in total";

	private static final List<String> STEPS = List.of("-Dxref.startup.steps=true");

	private StartupStepsBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 11;
		int shown = (args.length > 1) ? Integer.parseInt(args[1]) : 25;
		Map<String, List<String>> variants = StartupRuns.variants();
		Map<String, Double> baseline = new HashMap<>();
		Map<String, Double> starter = new HashMap<>();
		for (int i = 0; i < runs; i++) {
			StartupRuns.launch(variants.get(StartupRuns.BASELINE), STEPS, (line) -> record(line, baseline));
			StartupRuns.launch(variants.get(StartupRuns.STARTER), STEPS, (line) -> record(line, starter));
		}
		baseline.replaceAll((step, sum) -> sum / runs);
		starter.replaceAll((step, sum) -> sum / runs);
		Set<String> steps = new HashSet<>(baseline.keySet());
		steps.addAll(starter.keySet());
		System.out.printf("Mean CPU time of the main thread over %d runs each, in ms%n", runs);
		System.out.println("| step | only its dependencies | with the starter | difference |");
		System.out.println("|---|---|---|---|");
		steps.stream()
			.sorted((a, b) -> Double.compare(Math.abs(difference(b, baseline, starter)),
					Math.abs(difference(a, baseline, starter))))
			.limit(shown)
			.forEach((step) -> System.out.printf("| %s | %.1f | %.1f | %+.1f |%n", step,
					baseline.getOrDefault(step, 0.0), starter.getOrDefault(step, 0.0),
					difference(step, baseline, starter)));
	}

	private static void record(String line, Map<String, Double> sums) {
		if (line.startsWith(StartupApplication.STEP)) {
			String[] step = line.substring(StartupApplication.STEP.length()).split("\t", 2);
			sums.merge(step[1], Long.parseLong(step[0]) / 1e6, Double::sum);
		}
		else if (line.startsWith(StartupApplication.READY)) {
			String[] values = line.substring(StartupApplication.READY.length()).trim().split(" ");
			sums.merge(TOTAL, Double.parseDouble(values[1]), Double::sum);
		}
	}

	private static double difference(String step, Map<String, Double> baseline, Map<String, Double> starter) {
		return starter.getOrDefault(step, 0.0) - baseline.getOrDefault(step, 0.0);
	}

}
