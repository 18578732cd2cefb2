package io.github.xrefoauth.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ApiCallBenchmark} and {@link LookupBenchmark} in one go, with PostgreSQL
 * when the local server answers, and prints the README's tables: each way of adding the
 * token as a multiple of the floor, and the lookup at each store size.
 * <p>
 * Run with
 * {@code java -cp xref-oauth-spring-boot-benchmarks/target/benchmarks.jar io.github.xrefoauth.benchmarks.CompareBenchmarks}.
 * JMH options go after it, e.g. {@code -wi 1 -i 1} for a quick look.
 */
public final class CompareBenchmarks {

	private static final Map<String, String> PATH_NAMES = new LinkedHashMap<>();

	static {
		PATH_NAMES.put("floor", "floor: a fixed `Authorization` header");
		PATH_NAMES.put("spring-memory", "Spring: `OAuth2ClientHttpRequestInterceptor`, in-memory service");
		PATH_NAMES.put("spring-jdbc-h2", "Spring: `OAuth2ClientHttpRequestInterceptor`, JDBC service, H2");
		PATH_NAMES.put("spring-jdbc-postgresql",
				"Spring: `OAuth2ClientHttpRequestInterceptor`, JDBC service, PostgreSQL");
		PATH_NAMES.put("xref-memory", "starter: in-memory store");
		PATH_NAMES.put("xref-jdbc-h2", "starter: JDBC store, H2, read cache on (default)");
		PATH_NAMES.put("xref-jdbc-h2-nocache", "starter: JDBC store, H2, `cache-ttl=0`");
		PATH_NAMES.put("xref-jdbc-postgresql", "starter: JDBC store, PostgreSQL, read cache on (default)");
		PATH_NAMES.put("xref-jdbc-postgresql-nocache", "starter: JDBC store, PostgreSQL, `cache-ttl=0`");
	}

	private CompareBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		boolean postgreSql = BenchmarkDatabase.postgreSqlReachable();
		Predicate<String> available = (name) -> postgreSql || !name.contains(BenchmarkDatabase.POSTGRESQL);
		String[] paths = ApiCallBenchmark.PATHS.stream().filter(available).toArray(String[]::new);
		String[] stores = LookupBenchmark.STORES.stream().filter(available).toArray(String[]::new);
		Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
			.include(ApiCallBenchmark.class.getName() + ".callApi")
			.include(LookupBenchmark.class.getName() + ".findTokenOfTenant")
			.param("path", paths)
			.param("store", stores)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		System.out.println();
		System.out.printf("Java %s, %d cores, PostgreSQL %s%n%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), postgreSql ? "on 127.0.0.1" : "not reachable: left out");
		printApiCalls(results);
		printLookups(results, stores);
	}

	private static void printApiCalls(Collection<RunResult> results) {
		Map<String, Double> micros = new LinkedHashMap<>();
		for (RunResult result : results) {
			String path = result.getParams().getParam("path");
			if (path != null) {
				micros.put(path, score(result));
			}
		}
		double floor = micros.get(ApiCallBenchmark.FLOOR);
		System.out.println("| per API call (`ApiCallBenchmark`) | µs | × floor |");
		System.out.println("|---|---:|---:|");
		PATH_NAMES.forEach((path, name) -> {
			Double value = micros.get(path);
			if (value != null) {
				System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, value, value / floor);
			}
		});
		System.out.println();
	}

	private static void printLookups(Collection<RunResult> results, String[] stores) {
		List<String> sizes = List.of("1000", "100000", "1000000");
		System.out.println("| lookup of a random tenant (`LookupBenchmark`), µs | 1k accounts | 100k | 1M |");
		System.out.println("|---|---:|---:|---:|");
		for (String store : stores) {
			StringBuilder row = new StringBuilder("| " + store);
			for (String size : sizes) {
				results.stream()
					.filter((result) -> store.equals(result.getParams().getParam("store"))
							&& size.equals(result.getParams().getParam("accounts")))
					.findFirst()
					.ifPresentOrElse((result) -> row.append(String.format(Locale.ROOT, " | %.3f", score(result))),
							() -> row.append(" | -"));
			}
			System.out.println(row.append(" |"));
		}
	}

	private static double score(RunResult result) {
		return result.getPrimaryResult().getScore();
	}

}
