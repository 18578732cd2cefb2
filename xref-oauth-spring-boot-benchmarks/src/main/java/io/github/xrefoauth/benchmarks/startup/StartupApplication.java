package io.github.xrefoauth.benchmarks.startup;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small servlet application with Spring Security that never names the starter: started
 * with and without the starter's jar on the class path, it shows what the starter alone
 * adds. It prints its uptime and CPU time when ready, then closes its context and exits.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class StartupApplication {

	/**
	 * Printed once the application is ready, with the JVM's uptime, the CPU time of the
	 * main thread and of the whole process, in milliseconds.
	 */
	static final String READY = "STARTUP-READY ";

	/**
	 * Printed once the application is ready with {@code -Dxref.startup.steps=true}, for
	 * each start-up step: the main thread's CPU time in it, in nanoseconds, a tab and the
	 * step.
	 */
	static final String STEP = "STARTUP-STEP ";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(StartupApplication.class);
		MainThreadCpuStartup steps = Boolean.getBoolean("xref.startup.steps") ? new MainThreadCpuStartup() : null;
		if (steps != null) {
			application.setApplicationStartup(steps);
		}
		ConfigurableApplicationContext context = application.run(args);
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
		long mainThreadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
		long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1_000_000;
		System.out.println(READY + uptime + " " + mainThreadCpu + " " + processCpu);
		if (steps != null) {
			steps.selfNanos().forEach((step, nanos) -> System.out.println(STEP + nanos + "\t" + step));
		}
		System.out.flush();
		System.exit(SpringApplication.exit(context));
	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
