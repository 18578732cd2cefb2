package io.github.xrefoauth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The health check spreads a round over its interval and keeps to its maximum rate.
 */
class XrefHealthCheckSpreadTests {

	private final XrefSimulator xref = HealthCheckTesting.register(XrefSimulator.start());

	private final ClaimingTestStore store = new ClaimingTestStore();

	private final MutableClock clock = new MutableClock();

	@BeforeEach
	void connectAccounts() {
		for (int i = 0; i < 200; i++) {
			this.store.save("tenant-" + i, HealthCheckTesting.connect(this.xref, "acct-" + i));
		}
	}

	@AfterEach
	void stopXref() {
		this.xref.close();
	}

	@Test
	void eachTickClaimsItsShareSoThatARoundChecksEveryConnectionOnce() {
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(20), 100);
		assertThat(healthCheck.getTickPeriod()).isEqualTo(Duration.ofSeconds(1));
		List<Integer> checkedPerTick = new ArrayList<>();

		for (int tick = 0; tick < 20; tick++) {
			int before = authorizations().size();
			healthCheck.tick();
			checkedPerTick.add(authorizations().size() - before);
			this.clock.advance(healthCheck.getTickPeriod());
		}

		assertThat(this.store.claimLimits).as("200 connections x 1 s / 20 s").containsOnly(10);
		assertThat(checkedPerTick).containsOnly(10);
		assertThat(authorizations()).hasSize(200).doesNotHaveDuplicates();
	}

	@Test
	void twoInstancesTogetherClaimOneShareATickSoThatEachRoundSpansTheInterval() {
		XrefHealthCheck instanceA = healthCheck(Duration.ofSeconds(20), 100);
		XrefHealthCheck instanceB = healthCheck(Duration.ofSeconds(20), 100);
		Duration halfTick = instanceA.getTickPeriod().dividedBy(2);
		List<Integer> checkedPerTick = new ArrayList<>();

		for (int tick = 0; tick < 40; tick++) {
			int before = authorizations().size();
			instanceA.tick();
			this.clock.advance(halfTick);
			instanceB.tick();
			this.clock.advance(halfTick);
			checkedPerTick.add(authorizations().size() - before);
			if (tick == 19) {
				assertThat(authorizations()).as("round 1").hasSize(200).doesNotHaveDuplicates();
			}
		}

		assertThat(checkedPerTick).as("200 connections x 1 s / 20 s, by both together").containsOnly(10);
		assertThat(authorizations().subList(200, 400)).as("round 2").doesNotHaveDuplicates();
		assertThat(instanceA.getTotals().checked() + instanceB.getTotals().checked()).isEqualTo(400);
	}

	@Test
	void whatTheMaximumRateLeavesOfAShareIsClaimedByTheOtherInstance() {
		XrefHealthCheck instanceA = healthCheck(Duration.ofSeconds(20), 6);
		XrefHealthCheck instanceB = healthCheck(Duration.ofSeconds(20), 6);
		List<Integer> checkedPerTick = new ArrayList<>();

		for (int tick = 0; tick < 20; tick++) {
			int before = authorizations().size();
			instanceA.tick();
			instanceB.tick();
			checkedPerTick.add(authorizations().size() - before);
			this.clock.advance(instanceA.getTickPeriod());
		}

		assertThat(this.store.claimLimits).as("6 by the rate, then the 4 left of 10").containsOnly(6, 4);
		assertThat(checkedPerTick).containsOnly(10);
		assertThat(authorizations()).hasSize(200).doesNotHaveDuplicates();
		assertThat(instanceA.getTotals().checked()).isEqualTo(120);
		assertThat(instanceB.getTotals().checked()).isEqualTo(80);
	}

	@Test
	void claimsOfTheOtherInstanceSinceThisInstancesPreviousTickCountAndItsOwnDoNot() {
		XrefHealthCheck instanceA = healthCheck(Duration.ofSeconds(20), 100);
		XrefHealthCheck instanceB = healthCheck(Duration.ofSeconds(20), 100);

		instanceA.tick();
		this.clock.advance(Duration.ofMillis(500));
		instanceB.tick();
		this.clock.advance(Duration.ofMillis(500));
		instanceA.tick();
		this.clock.advance(Duration.ofMillis(1500));
		instanceB.tick();

		assertThat(this.store.claimLimits).as("A: 10; B: none, A claimed them; A: 10 more; B: 2 s due, 10 of them by A")
			.containsExactly(10, 10, 10);
		assertThat(authorizations()).hasSize(30).doesNotHaveDuplicates();
	}

	@Test
	void ticksWhoseChecksTakeTimeStillCheckEveryConnectionByTheFirstTickAfterTheInterval() {
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(20), 20);
		healthCheck.setSleeper(this.clock::advance);
		Instant end = this.clock.instant().plus(healthCheck.getInterval());

		do {
			healthCheck.tick();
			// The worst case: the next tick a whole tick period after this one's checks.
			this.clock.advance(healthCheck.getTickPeriod());
		}
		while (this.clock.instant().isBefore(end));
		healthCheck.tick();

		// 10 due per second, each tick paced at 20 per second: without counting the time
		// the checks took, 10 per tick would have checked about 150 by now.
		assertThat(Set.copyOf(authorizations())).hasSize(200);
	}

	@Test
	void aRoundWhoseCountFailsCountsAgainAtTheNextTick() {
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(20), 100);
		this.store.countsFail = true;
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(healthCheck::tick);
		this.store.countsFail = false;
		this.clock.advance(healthCheck.getTickPeriod());

		healthCheck.tick();

		assertThat(this.store.claimLimits).as("200 connections x 1 s / 20 s, counted; not the 1 of no count")
			.containsExactly(10);
	}

	@Test
	void theMaximumRateBoundsATickAndPacesItsCalls() {
		XrefHealthCheck healthCheck = healthCheck(Duration.ofSeconds(20), 5);
		List<Duration> waits = new ArrayList<>();
		healthCheck.setSleeper((duration) -> {
			waits.add(duration);
			this.clock.advance(duration);
		});

		healthCheck.tick();

		assertThat(this.store.claimLimits).containsExactly(5);
		assertThat(authorizations()).hasSize(5);
		assertThat(waits).hasSize(4).containsOnly(Duration.ofMillis(200));
	}

	@Test
	void theTickIsAHundredthOfTheIntervalBetweenASecondAndAMinute() {
		assertThat(healthCheck(Duration.ofSeconds(5), 5).getTickPeriod()).isEqualTo(Duration.ofSeconds(1));
		assertThat(healthCheck(Duration.ofMinutes(10), 5).getTickPeriod()).isEqualTo(Duration.ofSeconds(6));
		assertThat(healthCheck(Duration.ofHours(24), 5).getTickPeriod()).isEqualTo(Duration.ofMinutes(1));
		assertThat(healthCheck(Duration.ofMillis(500), 5).getTickPeriod()).isEqualTo(Duration.ofMillis(500));
	}

	/**
	 * The tokens that the health checks sent to Xref, in order.
	 */
	private List<String> authorizations() {
		return this.xref.requests("/auth")
			.stream()
			.map((request) -> request.getHeaders().get("Authorization"))
			.toList();
	}

	private XrefHealthCheck healthCheck(Duration interval, double maxRate) {
		XrefHealthCheck healthCheck = new XrefHealthCheck(this.store,
				HealthCheckTesting.restClient(this.xref.baseUrl(), Duration.ofSeconds(5)), interval, maxRate);
		HealthCheckTesting.useClock(healthCheck, this.clock);
		return healthCheck;
	}

}
