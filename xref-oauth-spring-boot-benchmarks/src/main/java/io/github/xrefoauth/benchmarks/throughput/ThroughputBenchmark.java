package io.github.xrefoauth.benchmarks.throughput;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.xrefoauth.benchmarks.startup.StartupBenchmark;
import io.github.xrefoauth.benchmarks.startup.StartupRuns;

/**
 * Starts {@link ThroughputApplication} twice, in two JVMs: with the starter and with only
 * the starter's dependencies (the class paths of the start-up benchmarks), logs in to
 * each once with the form login, and then drives {@code GET /page} of one and then of the
 * other from this JVM with the same load: a few kept-alive connections on loopback, each
 * asking again as soon as the answer is in. After a warm-up, the runs alternate (A B, B
 * A, A B, ...) so that a drift of the machine's speed falls on both alike; it prints each
 * run's requests per second and the server's CPU time per request, and the median ratio
 * to the application without the starter over the rounds, with a 95% confidence interval
 * of that median and its range. Each answer must be a {@code 200}.
 * <p>
 * Run it with the module's class path, for example (after {@code ./mvnw package}): <pre>
 * java -cp "xref-oauth-spring-boot-benchmarks/target/classes:$(cat xref-oauth-spring-boot-benchmarks/target/startup-classpath.txt)" \
 *     io.github.xrefoauth.benchmarks.throughput.ThroughputBenchmark [rounds] [seconds-per-run] [connections]
 * </pre> By default 10 rounds of 3 s runs over 4 connections, after 6 rounds of 5 s of
 * warm-up ({@code -Dxref.throughput.warm-up-rounds}): about 3 minutes.
 * {@code -Dxref.autoconfigure.jar=path} adds a third application with another build of
 * the starter's library; {@code -Dxref.throughput.jfr=dir} records the measured runs of
 * each application with Java Flight Recorder into that directory, for
 * {@link FilterProfile}; {@code -Dxref.throughput.observations=true} gives both
 * applications an observation registry with a handler, as Spring Boot's Actuator does, so
 * that Spring Security observes each filter.
 */
public final class ThroughputBenchmark {

	private static final int WARM_UP_ROUNDS = Integer.getInteger("xref.throughput.warm-up-rounds", 6);

	private static final int WARM_UP_SECONDS = 5;

	private static final List<String> APPLICATION_ARGUMENTS = List.of("--server.port=0", "--server.address=127.0.0.1",
			"--spring.main.banner-mode=off", "--server.tomcat.max-keep-alive-requests=-1",
			"--xref.oauth.client-id=client-1", "--xref.oauth.client-secret=secret-1",
			"--xref.oauth.redirect-uri=https://platform.example/integrations/xref");

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*?value=\"([^\"]*)\"");

	private ThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		int connections = (args.length > 2) ? Integer.parseInt(args[2]) : 4;
		String jfr = System.getProperty("xref.throughput.jfr");
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		List<Application> applications = new ArrayList<>();
		ExecutorService load = Executors.newFixedThreadPool(connections);
		try {
			for (Map.Entry<String, List<String>> variant : StartupRuns.variants().entrySet()) {
				// Spring Security's chain is deeper than the 64 frames that JFR keeps by
				// default
				List<String> jvmOptions = (jfr != null) ? List.of("-XX:FlightRecorderOptions:stackdepth=1024")
						: List.of();
				applications.add(Application.start(variant.getKey(), variant.getValue(), jvmOptions, connections));
			}
			printFilters(applications);
			for (int round = 0; round < WARM_UP_ROUNDS; round++) {
				for (Application application : inOrder(applications, round)) {
					application.drive(load, WARM_UP_SECONDS);
				}
			}
			if (jfr != null) {
				for (Application application : applications) {
					application.jcmd("JFR.start", "name=throughput", "settings=profile",
							"jdk.ExecutionSample#period=1ms");
				}
			}
			for (int round = 0; round < rounds; round++) {
				for (Application application : inOrder(applications, round)) {
					application.runs.add(application.drive(load, seconds));
				}
			}
			if (jfr != null) {
				for (Application application : applications) {
					File file = new File(jfr, application.name.replaceAll("[^A-Za-z0-9.]+", "-") + ".jfr");
					application.jcmd("JFR.dump", "name=throughput", "filename=" + file.getAbsolutePath());
					System.out.println("Recorded " + application.name + ": " + file);
				}
			}
		}
		finally {
			load.shutdownNow();
			for (Application application : applications) {
				application.close();
			}
		}
		double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		print(applications, rounds, seconds, connections, loadBefore, loadAfter);
	}

	/** The applications in the order of a round: rotated by one each round. */
	private static List<Application> inOrder(List<Application> applications, int round) {
		List<Application> ordered = new ArrayList<>();
		for (int i = 0; i < applications.size(); i++) {
			ordered.add(applications.get((i + round) % applications.size()));
		}
		return ordered;
	}

	private static void printFilters(List<Application> applications) {
		Set<String> baseline = new LinkedHashSet<>(List.of(applications.get(0).filters.split(" ")));
		for (Application application : applications) {
			System.out.println("Servlet filters " + application.name + ": " + application.servletFilters);
			System.out.println("Security filters " + application.name + ": " + application.filters);
			if (application != applications.get(0)) {
				List<String> added = new ArrayList<>(List.of(application.filters.split(" ")));
				added.removeAll(baseline);
				System.out.println("  added: " + String.join(" ", added));
			}
		}
	}

	private static void print(List<Application> applications, int rounds, int seconds, int connections,
			double loadBefore, double loadAfter) {
		System.out.printf(Locale.ROOT,
				"%nGET %s, logged in" + (Boolean.getBoolean("xref.throughput.observations") ? ", observed" : "")
						+ ": %d rounds of %d s per application after %d rounds of %d s of warm-up,"
						+ " %d connections on loopback; Java %s, %d cores, load average %.1f before, %.1f after%n",
				ThroughputApplication.PAGE, rounds, seconds, WARM_UP_ROUNDS, WARM_UP_SECONDS, connections,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
		Application baseline = applications.get(0);
		StringBuilder header = new StringBuilder("| round |");
		StringBuilder rule = new StringBuilder("|---:|");
		for (Application application : applications) {
			header.append(" ").append(application.name).append(": requests/s | CPU µs/request |");
			rule.append("---:|---:|");
		}
		System.out.println(header);
		System.out.println(rule);
		for (int round = 0; round < rounds; round++) {
			StringBuilder row = new StringBuilder("| " + (round + 1) + " |");
			for (Application application : applications) {
				Run run = application.runs.get(round);
				row.append(String.format(Locale.ROOT, " %.0f", run.perSecond()));
				if (application != baseline) {
					row.append(String.format(Locale.ROOT, " (%.3f)",
							run.perSecond() / baseline.runs.get(round).perSecond()));
				}
				row.append(String.format(Locale.ROOT, " | %.1f |", run.cpuMicrosPerRequest()));
			}
			System.out.println(row);
		}
		StringBuilder medians = new StringBuilder("| median |");
		for (Application application : applications) {
			medians.append(String.format(Locale.ROOT, " %.0f | %.1f |", median(application.runs, Run::perSecond),
					median(application.runs, Run::cpuMicrosPerRequest)));
		}
		System.out.println(medians);
		System.out.println();
		for (Application application : applications.subList(1, applications.size())) {
			System.out.println(application.name + ", to " + baseline.name + ", over the rounds: requests/s "
					+ ratios(application, baseline, Run::perSecond) + "; CPU per request "
					+ ratios(application, baseline, Run::cpuMicrosPerRequest));
		}
	}

	/**
	 * The median ratio over the rounds, a 95% confidence interval of it from the order
	 * statistics, and the smallest and largest ratio.
	 */
	private static String ratios(Application application, Application baseline, ToDoubleFunction<Run> value) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < application.runs.size(); round++) {
			ratios
				.add(value.applyAsDouble(application.runs.get(round)) / value.applyAsDouble(baseline.runs.get(round)));
		}
		List<Double> sorted = ratios.stream().sorted().toList();
		int rank = StartupBenchmark.confidenceRank(sorted.size());
		String interval = (rank > 0) ? String.format(Locale.ROOT, ", 95%% interval [%.3f, %.3f]", sorted.get(rank - 1),
				sorted.get(sorted.size() - rank)) : ", too few rounds for an interval";
		return String.format(Locale.ROOT, "median ratio %.3f%s, range [%.3f, %.3f]", median(sorted), interval,
				sorted.get(0), sorted.get(sorted.size() - 1));
	}

	/** The middle value; of an even number of values, the mean of the two middle ones. */
	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
		return median(runs.stream().map(value::applyAsDouble).toList());
	}

	/**
	 * One measured run.
	 *
	 * @param requests the answered requests
	 * @param nanos how long they took
	 * @param cpuNanos the CPU time that the application's JVM spent meanwhile
	 */
	private record Run(long requests, long nanos, long cpuNanos) {

		double perSecond() {
			return this.requests * 1e9 / this.nanos;
		}

		double cpuMicrosPerRequest() {
			return this.cpuNanos / 1e3 / this.requests;
		}

	}

	/**
	 * An application in its own JVM, its logged-in connections and its runs.
	 */
	private static final class Application implements AutoCloseable {

		private final String name;

		private final Process process;

		private final Deque<String> output;

		private final String filters;

		private final String servletFilters;

		private final List<PageConnection> connections = new ArrayList<>();

		private final List<Run> runs = new ArrayList<>();

		private Application(String name, Process process, Deque<String> output, String filters, String servletFilters) {
			this.name = name;
			this.process = process;
			this.output = output;
			this.filters = filters;
			this.servletFilters = servletFilters;
		}

		static Application start(String name, List<String> classPath, List<String> jvmOptions, int connections)
				throws Exception {
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElse("java"));
			command.addAll(jvmOptions);
			command.add("-cp");
			command.add(String.join(File.pathSeparator, classPath));
			command.add(ThroughputApplication.class.getName());
			command.addAll(APPLICATION_ARGUMENTS);
			if (Boolean.getBoolean("xref.throughput.observations")) {
				command.add("--throughput.observations=true");
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			Deque<String> output = new ArrayDeque<>();
			CompletableFuture<Integer> port = new CompletableFuture<>();
			String[] filters = new String[2];
			Thread reader = new Thread(() -> {
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = lines.readLine(); line != null; line = lines.readLine()) {
						synchronized (output) {
							output.addLast(line);
							if (output.size() > 200) {
								output.removeFirst();
							}
						}
						if (line.startsWith(ThroughputApplication.SERVLET_FILTERS)) {
							filters[1] = line.substring(ThroughputApplication.SERVLET_FILTERS.length()).trim();
						}
						if (line.startsWith(ThroughputApplication.FILTERS)) {
							filters[0] = line.substring(ThroughputApplication.FILTERS.length()).trim();
						}
						if (line.startsWith(ThroughputApplication.READY)) {
							port.complete(
									Integer.parseInt(line.substring(ThroughputApplication.READY.length()).trim()));
						}
					}
				}
				catch (IOException ex) {
					// the application is gone
				}
				port.completeExceptionally(new IllegalStateException("The application exited before it was ready"));
			}, "output of " + name);
			reader.setDaemon(true);
			reader.start();
			Application application = null;
			try {
				int listening = port.get(120, TimeUnit.SECONDS);
				application = new Application(name, process, output, filters[0], filters[1]);
				application.logIn(listening, connections);
				return application;
			}
			catch (Exception ex) {
				process.destroyForcibly();
				String lines;
				synchronized (output) {
					lines = String.join("\n", output);
				}
				throw new IllegalStateException(name + " did not start and answer as expected:\n" + lines, ex);
			}
		}

		/**
		 * Logs in with the form login and opens the connections with the session cookie;
		 * checks that the page answers with its body when logged in and not without.
		 */
		private void logIn(int port, int connections) throws Exception {
			String base = "http://127.0.0.1:" + port;
			HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
			HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher csrf = CSRF.matcher(form.body());
			if (!csrf.find()) {
				throw new IllegalStateException("No CSRF token in the login page: " + form.body());
			}
			String cookie = sessionCookie(form, null);
			String body = "username=" + ThroughputApplication.USERNAME + "&password=" + ThroughputApplication.PASSWORD
					+ "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
			HttpResponse<String> loggedIn = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Cookie", cookie)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			String location = loggedIn.headers().firstValue("Location").orElse("");
			if (loggedIn.statusCode() != 302 || location.contains("error")) {
				throw new IllegalStateException("Login failed: " + loggedIn.statusCode() + " " + location);
			}
			cookie = sessionCookie(loggedIn, cookie);
			try (PageConnection anonymous = new PageConnection(port, ThroughputApplication.PAGE, "JSESSIONID=none")) {
				int status = anonymous.get(null);
				if (status != 302) {
					throw new IllegalStateException("Expected the page to need a login, got " + status);
				}
			}
			for (int i = 0; i < connections; i++) {
				PageConnection connection = new PageConnection(port, ThroughputApplication.PAGE, cookie);
				this.connections.add(connection);
				StringBuilder page = new StringBuilder();
				int status = connection.get(page);
				if (status != 200 || !ThroughputApplication.PAGE_BODY.contentEquals(page)) {
					throw new IllegalStateException("Expected the page, got " + status + ": " + page);
				}
			}
		}

		private static String sessionCookie(HttpResponse<?> response, String current) {
			return response.headers()
				.allValues("Set-Cookie")
				.stream()
				.filter((value) -> value.startsWith("JSESSIONID="))
				.map((value) -> value.split(";", 2)[0])
				.findFirst()
				.orElseGet(() -> {
					if (current == null) {
						throw new IllegalStateException("No session cookie");
					}
					return current;
				});
		}

		/**
		 * Asks for the page on every connection at once, each again as soon as its answer
		 * is in, for the given time.
		 */
		Run drive(ExecutorService load, int seconds) throws Exception {
			long cpuBefore = cpuNanos();
			long start = System.nanoTime();
			long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
			List<Future<Long>> counts = new ArrayList<>();
			for (PageConnection connection : this.connections) {
				counts.add(load.submit(() -> {
					long requests = 0;
					while (System.nanoTime() < deadline) {
						int status = connection.get(null);
						if (status != 200) {
							throw new IllegalStateException(this.name + " answered " + status);
						}
						requests++;
					}
					return requests;
				}));
			}
			long requests = 0;
			for (Future<Long> count : counts) {
				requests += count.get();
			}
			long nanos = System.nanoTime() - start;
			return new Run(requests, nanos, cpuNanos() - cpuBefore);
		}

		private long cpuNanos() {
			return this.process.toHandle()
				.info()
				.totalCpuDuration()
				.map(Duration::toNanos)
				.orElseThrow(() -> new IllegalStateException("No CPU time of " + this.name));
		}

		void jcmd(String... arguments) throws IOException, InterruptedException {
			List<String> command = new ArrayList<>(List.of("jcmd", String.valueOf(this.process.pid())));
			command.addAll(List.of(arguments));
			Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
			String answer = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (jcmd.waitFor() != 0 || answer.contains("Exception") || answer.contains("Could not")) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + answer);
			}
		}

		@Override
		public void close() throws Exception {
			for (PageConnection connection : this.connections) {
				connection.close();
			}
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
