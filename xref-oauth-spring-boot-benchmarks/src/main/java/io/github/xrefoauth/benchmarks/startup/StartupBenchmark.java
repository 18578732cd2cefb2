package io.github.xrefoauth.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

	private static final String LIBRARY = "xref-oauth-spring-boot-autoconfigure";

	private static final List<String> APPLICATION_ARGUMENTS = List.of("--server.port=0",
			"--spring.main.banner-mode=off", "--logging.level.root=WARN", "--xref.oauth.client-id=client-1",
			"--xref.oauth.client-secret=secret-1",
			"--xref.oauth.redirect-uri=https://platform.example/integrations/xref");

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 21;
		List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
		List<String> withoutStarter = classPath.stream().filter((entry) -> !entry.contains(LIBRARY)).toList();
		if (withoutStarter.size() != classPath.size() - 1) {
			throw new IllegalStateException("Expected exactly one " + LIBRARY + " entry on the class path");
		}
		Map<String, List<String>> variants = new LinkedHashMap<>();
		variants.put("only its dependencies", withoutStarter);
		variants.put("with the starter", classPath);
		String otherLibrary = System.getProperty("xref.autoconfigure.jar");
		if (otherLibrary != null) {
			variants.put("with the starter, library " + new File(otherLibrary).getName(),
					classPath.stream().map((entry) -> entry.contains(LIBRARY) ? otherLibrary : entry).toList());
		}
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
				+ " starter's dependencies and the median ratio, over the pairs of runs.");
		System.out.println("| application | time to ready (JVM uptime) | CPU time of the main thread to ready"
				+ " | CPU time of the process to ready | ready to JVM exit |");
		System.out.println("|---|---|---|---|---|");
		List<Run> baseline = results.get("only its dependencies");
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
		return String.format("%d (%+d, %.2f)", median, median(differences), median(ratios));
	}

	private static Run run(List<String> classPath) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-cp");
		command.add(String.join(File.pathSeparator, classPath));
		command.add(StartupApplication.class.getName());
		command.addAll(APPLICATION_ARGUMENTS);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		long[] ready = null;
		long readyAt = 0;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith(StartupApplication.READY)) {
					readyAt = System.nanoTime();
					ready = Arrays.stream(line.substring(StartupApplication.READY.length()).trim().split(" "))
						.mapToLong(Long::parseLong)
						.toArray();
				}
				else {
					output.append(line).append('\n');
				}
			}
		}
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || ready == null) {
			process.destroyForcibly();
			throw new IllegalStateException("The application did not start and stop cleanly:\n" + output);
		}
		long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
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
