package io.github.xrefoauth.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health check against the Xref simulator: a token revoked at Xref is found within a
 * round and announced once, and nothing but a {@code 401} marks a connection broken.
 */
class XrefHealthCheckTests {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private final XrefSimulator xref = HealthCheckTesting.register(XrefSimulator.start());

	private final ClaimingTestStore store = new ClaimingTestStore();

	private final MutableClock clock = new MutableClock();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopSimulator() {
		this.xref.close();
	}

	@Test
	void aTokenRevokedAtXrefIsMarkedBrokenWithinOneRoundAndAnnouncedOnceNamingEveryTenant() {
		XrefConnection acme = HealthCheckTesting.connect(this.xref, "acct-acme");
		this.store.save("acme", acme);
		this.store.save("acme-eu", acme);
		this.store.save("globex", HealthCheckTesting.connect(this.xref, "acct-globex"));
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(5));
		this.xref.clearRequests();

		runRound(healthCheck);
		assertThat(this.xref.requests("/auth")).hasSize(2);
		assertThat(this.store.rejections).isEmpty();
		assertThat(this.events).isEmpty();

		this.xref.revokeAccount("acct-acme");
		runRound(healthCheck);

		assertThat(this.store.rejections).singleElement().satisfies((rejection) -> {
			assertThat(rejection.xrefAccountId()).isEqualTo("acct-acme");
			assertThat(rejection.rejectedBy()).isEqualTo(RejectedBy.HEALTH_CHECK);
		});
		assertThat(this.events).singleElement().isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
			assertThat(event.xrefAccountId()).isEqualTo("acct-acme");
			assertThat(event.tenantKeys()).containsExactlyInAnyOrder("acme", "acme-eu");
			assertThat(event.tenantKey()).as("a linked tenant").isIn("acme", "acme-eu");
			assertThat(event.endUser()).isNull();
			assertThat(event.rejectedBy()).isEqualTo(RejectedBy.HEALTH_CHECK);
		});
		assertThat(this.store.findByTenant("acme")).isEmpty();
		assertThat(this.store.findByTenant("globex")).isPresent();

		this.xref.clearRequests();
		runRound(healthCheck);
		assertThat(this.events).hasSize(1);
		assertThat(this.store.rejections).hasSize(1);
		assertThat(this.xref.requests("/auth")).hasSize(1);
		assertThat(healthCheck.getLastRound()).as("the round that found it")
			.satisfies(
					(round) -> assertThat(round).extracting("checked", "broken", "failed").containsExactly(2L, 1L, 0L));
		assertThat(healthCheck.getCurrentRound()).satisfies(
				(round) -> assertThat(round).extracting("checked", "broken", "failed").containsExactly(1L, 0L, 0L));
		assertThat(healthCheck.getTotals()).isEqualTo(new XrefHealthCheck.Totals(5, 1, 0));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void anAnswerOtherThanA401NeverMarksAConnectionBrokenAndTheConnectionIsCheckedAgainNextRound(String fault,
			Supplier<MockResponse> answer) {
		XrefConnection acme = HealthCheckTesting.connect(this.xref, "acct-acme");
		this.store.save("acme", acme);
		XrefHealthCheck healthCheck = healthCheck(Duration.ofMillis(300));
		this.xref.overrideNextResponse("/auth", answer.get());

		runRound(healthCheck);

		assertThat(this.store.rejections).isEmpty();
		assertThat(this.events).isEmpty();
		assertThat(this.store.findByTenant("acme")).contains(acme);
		assertThat(healthCheck.getCurrentRound()).satisfies((round) -> {
			assertThat(round.checked()).isZero();
			assertThat(round.failed()).isEqualTo(1);
		});

		this.clock.advance(Duration.ofMinutes(1));
		runRound(healthCheck);
		assertThat(healthCheck.getTotals()).isEqualTo(new XrefHealthCheck.Totals(1, 0, 1));
	}

	static Stream<Arguments> faults() {
		return Stream.of(fault("500", () -> json(500, "{\"error\":\"internal\"}")),
				fault("503 without a body", () -> new MockResponse.Builder().code(503).build()),
				fault("302 redirect to a login page",
						() -> new MockResponse.Builder().code(302).addHeader("Location", "/login").build()),
				fault("200 with an HTML page",
						() -> new MockResponse.Builder().code(200)
							.addHeader("Content-Type", "text/html")
							.body("<html>Sign in</html>")
							.build()),
				fault("200 JSON with no body", () -> json(200, "")),
				fault("403", () -> json(403, "{\"error\":\"forbidden\"}")),
				fault("timeout",
						() -> new MockResponse.Builder().code(401).headersDelay(3, TimeUnit.SECONDS).body("").build()),
				fault("429", () -> new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build()));
	}

	@Test
	void a429PausesTheCheckForTheWaitXrefAskedFor() {
		for (String account : List.of("acct-1", "acct-2", "acct-3", "acct-4")) {
			this.store.save(account, HealthCheckTesting.connect(this.xref, account));
		}
		XrefHealthCheck healthCheck = new XrefHealthCheck(this.store,
				HealthCheckTesting.restClient(this.xref.baseUrl(), Duration.ofSeconds(5)), Duration.ofSeconds(2), 100);
		HealthCheckTesting.useClock(healthCheck, this.clock);
		this.xref.clearRequests();
		this.xref.overrideNextResponse("/auth",
				new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());

		healthCheck.tick();
		assertThat(this.xref.requests("/auth")).as("the rest of the tick's claims wait").hasSize(1);
		assertThat(healthCheck.getCurrentRound().failed()).isEqualTo(2);

		for (int second = 1; second < 30; second++) {
			this.clock.advance(Duration.ofSeconds(1));
			healthCheck.tick();
		}
		assertThat(this.xref.requests("/auth")).as("paused for 30 s").hasSize(1);
		assertThat(this.store.claimLimits).as("no claims while paused").hasSize(1);

		this.clock.advance(Duration.ofSeconds(1));
		healthCheck.tick();
		assertThat(this.xref.requests("/auth")).as("then what is due since the last tick: an interval's worth, all 4")
			.hasSize(5);
		assertThat(this.store.rejections).isEmpty();
	}

	@Test
	void startAndStopLeaveNoThreadBehind() {
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(5));
		healthCheck.start();
		assertThat(healthCheck.isRunning()).isTrue();
		assertThat(threads()).contains("xref-health-check");

		healthCheck.stop();

		assertThat(healthCheck.isRunning()).isFalse();
		assertThat(threads()).doesNotContain("xref-health-check");
	}

	private static List<String> threads() {
		List<String> names = new ArrayList<>();
		Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).forEach((t) -> names.add(t.getName()));
		return names;
	}

	private XrefHealthCheck healthCheck(Duration readTimeout) {
		XrefHealthCheck healthCheck = new XrefHealthCheck(this.store,
				HealthCheckTesting.restClient(this.xref.baseUrl(), readTimeout), INTERVAL, 100);
		healthCheck.setApplicationEventPublisher(this.events::add);
		HealthCheckTesting.useClock(healthCheck, this.clock);
		return healthCheck;
	}

	private void runRound(XrefHealthCheck healthCheck) {
		long ticks = INTERVAL.dividedBy(healthCheck.getTickPeriod());
		for (long i = 0; i < ticks; i++) {
			healthCheck.tick();
			this.clock.advance(healthCheck.getTickPeriod());
		}
	}

	private static Arguments fault(String name, Supplier<MockResponse> answer) {
		return Arguments.of(name, answer);
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	static List<String> tokens(List<RecordedRequest> requests) {
		return requests.stream().map((request) -> request.getHeaders().get("Authorization")).toList();
	}

}
