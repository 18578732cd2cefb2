package io.github.xrefoauth.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.actuate.XrefEndpoint;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health check runs only when its interval is set, starts and stops with the
 * application, and gives way to the application's own; its numbers reach the meter
 * registry and the Actuator endpoint.
 */
class XrefHealthCheckAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
		.withPropertyValues(REQUIRED);

	@Test
	void thereIsNoHealthCheckUnlessItsIntervalIsSet() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(XrefHealthCheck.class));
	}

	@Test
	void anIntervalStartsTheHealthCheckWithTheApplicationAndStopsItWithIt() {
		XrefHealthCheck[] started = new XrefHealthCheck[1];
		this.contextRunner
			.withPropertyValues("xref.oauth.health-check.interval=1h", "xref.oauth.health-check.max-rate=2.5")
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefHealthCheck.class);
				XrefHealthCheck healthCheck = context.getBean(XrefHealthCheck.class);
				assertThat(healthCheck.getInterval()).isEqualTo(Duration.ofHours(1));
				assertThat(healthCheck.getMaxRate()).isEqualTo(2.5);
				assertThat(healthCheck.isRunning()).isTrue();
				started[0] = healthCheck;
			});
		assertThat(started[0].isRunning()).isFalse();
	}

	@Test
	void theHealthCheckRunsInAReactiveApplicationToo() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.health-check.interval=10m")
			.run((context) -> assertThat(context).hasSingleBean(XrefHealthCheck.class));
	}

	@Test
	void anApplicationHealthCheckReplacesTheDefault() {
		this.contextRunner.withPropertyValues("xref.oauth.health-check.interval=1h")
			.withBean("ownHealthCheck", XrefHealthCheck.class,
					() -> new XrefHealthCheck(new io.github.xrefoauth.account.InMemoryXrefAccountStore(),
							RestClient.create(), Duration.ofMinutes(5), 1))
			.run((context) -> assertThat(context).hasSingleBean(XrefHealthCheck.class)
				.getBean(XrefHealthCheck.class)
				.extracting(XrefHealthCheck::getInterval)
				.isEqualTo(Duration.ofMinutes(5)));
	}

	@Test
	void anIntervalOrRateThatIsNotPositiveOrARateThatIsNotFiniteFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("xref.oauth.health-check.interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("xref.oauth.health-check.interval"));
		for (String maxRate : new String[] { "0", "Infinity", "NaN" }) {
			this.contextRunner
				.withPropertyValues("xref.oauth.health-check.interval=1h",
						"xref.oauth.health-check.max-rate=" + maxRate)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("xref.oauth.health-check.max-rate"));
		}
	}

	@Test
	void theGaugeCountsConnectionsPerStatus() {
		this.contextRunner.withPropertyValues("xref.oauth.health-check.interval=1h").run((context) -> {
			context.getBean(XrefAccountStore.class).save("acme", connection());
			MeterRegistry registry = bind(context);
			assertThat(registry.get("xref.connections").tag("status", "connected").gauge().value()).isEqualTo(1);
			assertThat(registry.get("xref.connections").tag("status", "reconnect_needed").gauge().value()).isZero();
		});
	}

	@Test
	void eachCheckIsObservedInTheApplicationsObservationRegistry() throws Exception {
		try (MockWebServer xref = new MockWebServer()) {
			xref.start(InetAddress.getLoopbackAddress(), 0);
			xref.enqueue(new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"xref_account_id\":\"acct-acme\"}")
				.build());
			xref.enqueue(new MockResponse.Builder().code(401).build());
			xref.enqueue(new MockResponse.Builder().code(500).build());
			TestObservationRegistry observations = TestObservationRegistry.create();
			this.contextRunner.withBean(TestObservationRegistry.class, () -> observations)
				.withPropertyValues("xref.oauth.health-check.interval=1h", "xref.oauth.api-uri=" + xref.url("/"))
				.run((context) -> {
					XrefAccountStore store = context.getBean(XrefAccountStore.class);
					store.save("acme", connection());
					store.save("globex", new XrefConnection("acct-globex", "token-globex",
							Instant.parse("2026-01-01T09:00:00Z"), "bob"));
					store.save("initech", new XrefConnection("acct-initech", "token-initech",
							Instant.parse("2026-01-01T09:00:00Z"), "carol"));

					XrefHealthCheck.Round round = context.getBean(XrefHealthCheck.class)
						.checkNow()
						.get(10, TimeUnit.SECONDS);

					assertThat(round.checked()).isEqualTo(2);
					assertThat(round.broken()).isOne();
					assertThat(round.failed()).isOne();
				});
			TestObservationRegistryAssert.assertThat(observations)
				.hasNumberOfObservationsWithNameEqualTo("xref.health.check", 3)
				.hasAnObservationWithAKeyValue("outcome", "success")
				.hasAnObservationWithAKeyValue("outcome", "broken")
				.hasAnObservationWithAKeyValue("reason", "token_rejected")
				.hasAnObservationWithAKeyValue("outcome", "failure");
		}
	}

	@Test
	void withoutMicrometerThereAreNoMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("xref.oauth.health-check.interval=1h")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(XrefHealthCheck.class)
				.doesNotHaveBean("xrefMeterBinder"));
	}

	@Test
	void theEndpointShowsTheHealthCheckAndTheCountPerStatus() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class,
							XrefWebSecurityAutoConfiguration.class, XrefEndpointAutoConfiguration.class,
							SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("management.endpoints.web.exposure.include=xref");
		web.run((context) -> assertThat(context.getBean(XrefEndpoint.class).xref().healthCheck()).isNull());
		web.withPropertyValues("xref.oauth.health-check.interval=1h").run((context) -> {
			context.getBean(XrefAccountStore.class).save("acme", connection());
			XrefEndpoint.XrefDescriptor descriptor = context.getBean(XrefEndpoint.class).xref();
			assertThat(descriptor.store().connectedAccounts()).isEqualTo(1);
			assertThat(descriptor.store().reconnectNeededAccounts()).isZero();
			assertThat(descriptor.healthCheck()).isNotNull();
			assertThat(descriptor.healthCheck().interval()).isEqualTo("PT1H");
			assertThat(descriptor.healthCheck().lastRound()).isNull();
		});
	}

	private static MeterRegistry bind(AssertableApplicationContext context) {
		MeterRegistry registry = new SimpleMeterRegistry();
		context.getBean("xrefMeterBinder", MeterBinder.class).bindTo(registry);
		return registry;
	}

	private static XrefConnection connection() {
		return new XrefConnection("acct-acme", "token-acme", Instant.parse("2026-01-01T09:00:00Z"), "alice");
	}

}
