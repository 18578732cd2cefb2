package io.github.xrefoauth.benchmarks.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Starts {@link StartupApplication} in fresh JVMs, alternately with the starter and with
 * only the starter's dependencies (the class path without
 * {@code xref-oauth-spring-boot-autoconfigure}), and prints, as medians with the
 * starter's share and the ratio: the time to ready (JVM uptime when the context is
 * refreshed and the server runs), the CPU time spent until then (main thread, whole
 * process: these vary less on a busy machine), and the time from ready to the JVM's exit
 * (context close included). The share and the ratio are the medians over the pairs of
 * runs that ran one after the other, so that a drift of the machine's speed during the
 * benchmark cancels out.
 * <p>
 * Run it with the module's class path, for example (after {@code ./mvnw verify}): <pre>
 * java -cp "xref-oauth-spring-boot-benchmarks/target/classes:$(cat xref-oauth-spring-boot-benchmarks/target/startup-classpath.txt)" \
 *     io.github.xrefoauth.benchmarks.startup.StartupBenchmark [runs]
 * </pre> {@code -Dxref.autoconfigure.jar=path} replaces the starter's library jar, to
 * compare another build of it.
 */
public final class StartupBenchmark {

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 21;
		Map<String, List<String>> variants = StartupRuns.variants();
		Map<String, List<Run>> results = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
			run(variant.getValue()); // unmeasured: warms the file system cache
			results.put(variant.getKey(), new ArrayList<>());
		}
		for (int i = 0; i < runs; i++) {
			for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
				results.get(variant.getKey()).add(run(variant.getValue()));
			}
		}
		System.out.printf("Runs: %d fresh JVMs per application, Java %s, %d cores, load average %.1f%n", runs,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		System.out.println("Medians in ms; in brackets the median difference to the application with only the"
				+ " starter's dependencies, a 95% confidence interval of that median, and the median ratio, over the"
				+ " pairs of runs.");
		System.out.println("| application | time to ready (JVM uptime) | CPU time of the main thread to ready"
				+ " | CPU time of the process to ready | ready to JVM exit |");
		System.out.println("|---|---|---|---|---|");
		List<Run> baseline = results.get(StartupRuns.BASELINE);
		results.forEach((name,
				measured) -> System.out.println("| " + name + " | " + cell(measured, baseline, Run::readyMillis) + " | "
						+ cell(measured, baseline, Run::mainThreadCpuMillis) + " | "
						+ cell(measured, baseline, Run::processCpuMillis) + " | "
						+ cell(measured, baseline, Run::exitMillis) + " |"));
	}

	private static String cell(List<Run> measured, List<Run> baseline, ToLongFunction<Run> value) {
		long median = median(measured.stream().mapToLong(value).boxed().toList());
		if (measured == baseline) {
			return String.valueOf(median);
		}
		List<Long> differences = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < measured.size(); i++) {
			long base = value.applyAsLong(baseline.get(i));
			differences.add(value.applyAsLong(measured.get(i)) - base);
			ratios.add((double) value.applyAsLong(measured.get(i)) / base);
		}
		List<Long> sorted = differences.stream().sorted().toList();
		int rank = confidenceRank(sorted.size());
		String interval = (rank > 0)
				? String.format(" [%+d, %+d]", sorted.get(rank - 1), sorted.get(sorted.size() - rank)) : "";
		return String.format("%d (%+d%s, %.2f)", median, median(differences), interval, median(ratios));
	}

	/**
	 * Returns the largest r for which the r-th smallest and the r-th largest of n paired
	 * differences bound a confidence interval of their median of at least 95%, whatever
	 * their distribution (each difference is above the median with probability 1/2), or 0
	 * if n is too small for one.
	 */
	public static int confidenceRank(int n) {
		double probability = Math.pow(0.5, n);
		double below = 0;
		int rank = 0;
		while (rank < n / 2 && below + probability <= 0.025) {
			below += probability;
			probability = probability * (n - rank) / (rank + 1);
			rank++;
		}
		return rank;
	}

	private static Run run(List<String> classPath) throws IOException, InterruptedException {
		long[] ready = new long[3];
		long[] readyAt = new long[1];
		StartupRuns.launch(classPath, List.of(), (line) -> {
			if (line.startsWith(StartupApplication.READY)) {
				readyAt[0] = System.nanoTime();
				String[] values = line.substring(StartupApplication.READY.length()).trim().split(" ");
				for (int i = 0; i < ready.length; i++) {
					ready[i] = Long.parseLong(values[i]);
				}
			}
		});
		long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt[0]);
		return new Run(ready[0], ready[1], ready[2], exitMillis);
	}

	/**
	 * The middle value; of an even number of values, the upper of the two middle ones.
	 */
	private static <T extends Comparable<T>> T median(List<T> values) {
		return values.stream().sorted().toList().get(values.size() / 2);
	}

	private record Run(long readyMillis, long mainThreadCpuMillis, long processCpuMillis, long exitMillis) {

	}

}
