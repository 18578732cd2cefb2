package io.github.xrefoauth.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Records the CPU time that the main thread spends in each start-up step of Spring
 * (parsing configuration classes, creating a bean, ...), without the time of the steps
 * nested in it. A step is named by its name and its bean or post-processor.
 */
final class MainThreadCpuStartup implements ApplicationStartup {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final Map<String, Long> selfNanos = new LinkedHashMap<>();

	private final Deque<Step> open = new ArrayDeque<>();

	@Override
	public StartupStep start(String name) {
		return new Step(name, Thread.currentThread().getName().equals("main"));
	}

	/**
	 * Returns the CPU time of the main thread in each step, in nanoseconds.
	 * @return the time by step
	 */
	Map<String, Long> selfNanos() {
		return Collections.unmodifiableMap(this.selfNanos);
	}

	private final class Step implements StartupStep {

		private final String name;

		private final boolean measured;

		private final long start = THREADS.getCurrentThreadCpuTime();

		private String key;

		private long nested;

		Step(String name, boolean measured) {
			this.name = name;
			this.key = name;
			this.measured = measured;
			if (measured) {
				MainThreadCpuStartup.this.open.push(this);
			}
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public long getId() {
			return 0;
		}

		@Override
		public @Nullable Long getParentId() {
			return null;
		}

		@Override
		public StartupStep tag(String key, String value) {
			if (key.equals("beanName") || key.equals("postProcessor")) {
				// Without identity hash codes and lambda numbers, which differ between
				// runs
				this.key += " " + value.replaceAll("@[0-9a-f]+$", "").replaceAll("\\$\\$Lambda.*", "");
			}
			return this;
		}

		@Override
		public StartupStep tag(String key, Supplier<String> value) {
			return tag(key, value.get());
		}

		@Override
		public Tags getTags() {
			return Collections::emptyIterator;
		}

		@Override
		public void end() {
			if (!this.measured) {
				return;
			}
			long spent = THREADS.getCurrentThreadCpuTime() - this.start;
			MainThreadCpuStartup.this.open.pop();
			MainThreadCpuStartup.this.selfNanos.merge(this.key, spent - this.nested, Long::sum);
			Step parent = MainThreadCpuStartup.this.open.peek();
			if (parent != null) {
				parent.nested += spent;
			}
		}

	}

}
