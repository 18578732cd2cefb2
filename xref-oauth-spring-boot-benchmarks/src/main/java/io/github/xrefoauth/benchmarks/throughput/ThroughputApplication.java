package io.github.xrefoauth.benchmarks.throughput;

import java.util.TreeSet;
import java.util.stream.Collectors;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.ServletContext;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small servlet application with Spring Security's form login and one authenticated
 * page that has nothing to do with Xref. It never names the starter: started with and
 * without the starter's jar on the class path, it shows what the starter alone costs
 * every request. Its user is its own, so that both variants authenticate alike (without
 * the starter, Spring Boot makes no development user once Spring Security's OAuth 2
 * client is on the class path). When ready it prints the filters of its chain and its
 * port, then serves until it is stopped.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ThroughputApplication {

	/** Printed once the application is ready, with the port it listens on. */
	static final String READY = "THROUGHPUT-READY ";

	/** Printed once the application is ready, with the filters of its security chain. */
	static final String FILTERS = "THROUGHPUT-FILTERS ";

	/** Printed once the application is ready, with the servlet container's filters. */
	static final String SERVLET_FILTERS = "THROUGHPUT-SERVLET-FILTERS ";

	/** The page under load. */
	static final String PAGE = "/page";

	/** The body of the page. */
	static final String PAGE_BODY = "a page that has nothing to do with Xref";

	static final String USERNAME = "user";

	static final String PASSWORD = "password";

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(ThroughputApplication.class, args);
		String filters = context.getBean(FilterChainProxy.class)
			.getFilterChains()
			.stream()
			.flatMap((chain) -> chain.getFilters().stream())
			.map((filter) -> filter.getClass().getSimpleName())
			.collect(Collectors.joining(" "));
		System.out.println(FILTERS + filters);
		System.out.println(SERVLET_FILTERS + String.join(" ",
				new TreeSet<>(context.getBean(ServletContext.class).getFilterRegistrations().keySet())));
		System.out.println(READY + context.getEnvironment().getProperty("local.server.port"));
		System.out.flush();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(
				User.withUsername(USERNAME).password("{noop}" + PASSWORD).roles("USER").build());
	}

	/**
	 * With {@code --throughput.observations=true}, an observation registry with one
	 * handler, as Spring Boot's Actuator makes one: Spring Security then observes its
	 * filter chain and each filter in it.
	 */
	@Bean
	@ConditionalOnBooleanProperty("throughput.observations")
	ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		return registry;
	}

	@RestController
	static class PageController {

		@GetMapping(PAGE)
		String page() {
			return PAGE_BODY;
		}

	}

}
