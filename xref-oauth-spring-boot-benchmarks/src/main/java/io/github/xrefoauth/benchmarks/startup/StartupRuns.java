package io.github.xrefoauth.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts {@link StartupApplication} in fresh JVMs on the class paths that the start-up
 * benchmarks compare; the throughput benchmark compares the same class paths.
 */
public final class StartupRuns {

	/** The name of the class path variant without the starter's library. */
	public static final String BASELINE = "only its dependencies";

	/** The name of the class path variant with the starter's library. */
	public static final String STARTER = "with the starter";

	private static final String LIBRARY = "xref-oauth-spring-boot-autoconfigure";

	/**
	 * The arguments of each run. Logging stays at Spring Boot's default level, as in an
	 * application: with less of it, the first line that the starter logs (the generated
	 * development password) would also pay for starting the log output.
	 */
	private static final List<String> APPLICATION_ARGUMENTS = List.of("--server.port=0",
			"--spring.main.banner-mode=off", "--xref.oauth.client-id=client-1", "--xref.oauth.client-secret=secret-1",
			"--xref.oauth.redirect-uri=https://platform.example/integrations/xref");

	private StartupRuns() {
	}

	/**
	 * Returns the class paths to compare, by name: this JVM's class path without the
	 * starter's library ({@link #BASELINE}), with it, and with the library of
	 * {@code -Dxref.autoconfigure.jar} if set.
	 * @return the class paths
	 */
	public static Map<String, List<String>> variants() {
		List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
		List<String> withoutStarter = classPath.stream().filter((entry) -> !entry.contains(LIBRARY)).toList();
		if (withoutStarter.size() != classPath.size() - 1) {
			throw new IllegalStateException("Expected exactly one " + LIBRARY + " entry on the class path");
		}
		Map<String, List<String>> variants = new LinkedHashMap<>();
		variants.put(BASELINE, withoutStarter);
		variants.put(STARTER, classPath);
		String otherLibrary = System.getProperty("xref.autoconfigure.jar");
		if (otherLibrary != null) {
			variants.put("with the starter, library " + new File(otherLibrary).getName(),
					classPath.stream().map((entry) -> entry.contains(LIBRARY) ? otherLibrary : entry).toList());
		}
		return variants;
	}

	/**
	 * Starts the application, hands each line it prints to the consumer and waits until
	 * its JVM has exited.
	 * @param classPath the class path
	 * @param jvmOptions options of the JVM, such as system properties
	 * @param lines receives the lines that the application prints, as they come
	 * @throws IllegalStateException if it did not start and exit cleanly
	 */
	static void launch(List<String> classPath, List<String> jvmOptions, Consumer<String> lines)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(String.join(File.pathSeparator, classPath));
		command.add(StartupApplication.class.getName());
		command.addAll(APPLICATION_ARGUMENTS);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		StringBuilder output = new StringBuilder();
		boolean ready = false;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				ready |= line.startsWith(StartupApplication.READY);
				output.append(line).append('\n');
				lines.accept(line);
			}
		}
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !ready) {
			process.destroyForcibly();
			throw new IllegalStateException("The application did not start and stop cleanly:\n" + output);
		}
	}

}
