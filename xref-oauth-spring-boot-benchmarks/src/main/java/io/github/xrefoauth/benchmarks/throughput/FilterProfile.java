package io.github.xrefoauth.benchmarks.throughput;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the recordings of {@link ThroughputBenchmark} ({@code -Dxref.throughput.jfr=dir})
 * and prints where the server's request threads spent their time: the share of the
 * execution samples of each filter without what runs after it in the chain (the filter
 * nearest to the top of each sampled stack), the share of every method of the starter
 * with what it calls, and the methods most often on top of the stack.
 * <p>
 * Run it with {@code jdk.jfr} on the module path of any JDK 17, for example: <pre>
 * java -cp xref-oauth-spring-boot-benchmarks/target/classes io.github.xrefoauth.benchmarks.throughput.FilterProfile dir/*.jfr
 * </pre>
 */
public final class FilterProfile {

	private static final Set<String> FILTER_METHODS = Set.of("doFilter", "doFilterInternal");

	/** Types whose {@code doFilter} passes the request on rather than filtering it. */
	private static final Set<String> CHAINS = Set.of("org.apache.catalina.core.ApplicationFilterChain",
			"org.springframework.security.web.FilterChainProxy$VirtualFilterChain",
			"org.springframework.security.web.ObservationFilterChainDecorator$VirtualFilterChain",
			"org.springframework.security.web.ObservationFilterChainDecorator$ObservationFilter",
			"org.springframework.web.filter.CompositeFilter$VirtualFilterChain");

	private static final String STARTER = "io.github.xrefoauth.";

	private FilterProfile() {
	}

	public static void main(String[] args) throws IOException {
		for (String file : args) {
			print(file, RecordingFile.readAllEvents(Path.of(file)));
		}
	}

	private static void print(String file, List<RecordedEvent> events) {
		Map<String, Integer> byFilter = new HashMap<>();
		Map<String, Integer> starterMethods = new HashMap<>();
		Map<String, Integer> topMethods = new HashMap<>();
		Map<String, Integer> topOfStarterFilters = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : events) {
			if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
				continue;
			}
			RecordedThread thread = event.getThread("sampledThread");
			RecordedStackTrace stack = event.getStackTrace();
			if (thread == null || stack == null || thread.getJavaName() == null
					|| !thread.getJavaName().contains("-exec-")) {
				continue;
			}
			samples++;
			List<RecordedFrame> frames = stack.getFrames();
			String filter = owner(frames);
			byFilter.merge(filter, 1, Integer::sum);
			String top = frames.isEmpty() ? "(no frames)" : name(frames.get(0));
			topMethods.merge(top, 1, Integer::sum);
			if (filter.startsWith("Xref")) {
				topOfStarterFilters.merge(filter + " > " + top, 1, Integer::sum);
			}
			Set<String> seen = new HashSet<>();
			for (RecordedFrame frame : frames) {
				if (frame.getMethod().getType().getName().startsWith(STARTER) && seen.add(name(frame))) {
					starterMethods.merge(name(frame), 1, Integer::sum);
				}
			}
		}
		System.out.printf(Locale.ROOT, "%n%s: %d execution samples of request threads%n", file, samples);
		print("Filter nearest to the top of the stack (its own work, not the rest of the chain)", byFilter, samples,
				40);
		print("Methods of the starter, with what they call", starterMethods, samples, 30);
		print("Top of the stack in the starter's filters", topOfStarterFilters, samples, 30);
		print("Top of the stack", topMethods, samples, 30);
	}

	/**
	 * The simple name of the filter nearest to the top of the stack, or what runs the
	 * request if no filter is on the stack above it.
	 */
	private static String owner(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			String method = frame.getMethod().getName();
			if (type.equals("org.springframework.web.servlet.FrameworkServlet")
					|| type.equals("jakarta.servlet.http.HttpServlet")) {
				return "(servlet: DispatcherServlet and the page)";
			}
			if (FILTER_METHODS.contains(method) && !CHAINS.contains(type)) {
				return type.substring(type.lastIndexOf('.') + 1);
			}
		}
		return "(no filter: Tomcat, sockets)";
	}

	private static String name(RecordedFrame frame) {
		String type = frame.getMethod().getType().getName();
		return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
	}

	private static void print(String title, Map<String, Integer> counts, int samples, int limit) {
		System.out.println(title + ":");
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(limit)
			.forEach((entry) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %6d  %s%n",
					100.0 * entry.getValue() / samples, entry.getValue(), entry.getKey()));
	}

}
