package io.github.xrefoauth.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.health.XrefHealthCheck.Round;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link XrefHealthCheck#checkNow()} checks every stored connection at once, on the
 * health check's thread, as the ticks check them.
 */
class XrefHealthCheckNowTests {

	/** A tick of 36 s: no scheduled tick runs during a test. */
	private static final Duration INTERVAL = Duration.ofHours(1);

	/** 0.25 calls per second: 9 calls in a tick, the size of a batch. */
	private static final double MAX_RATE = 0.25;

	private final XrefSimulator xref = HealthCheckTesting.register(XrefSimulator.start());

	private final ClaimingTestStore store = new ClaimingTestStore();

	private final MutableClock clock = new MutableClock();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final List<XrefHealthCheck> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(XrefHealthCheck::stop);
		this.xref.close();
	}

	@Test
	void checkNowChecksEveryConnectionOnceInBatchesOfWhatTheRateAllowsInATick() throws Exception {
		connect(25);
		XrefHealthCheck healthCheck = start();

		Round round = await(healthCheck.checkNow());

		assertThat(XrefHealthCheckTests.tokens(this.xref.requests("/auth"))).hasSize(25).doesNotHaveDuplicates();
		assertThat(this.store.claimLimits).as("batches of 9 until one comes back empty (9, 9, 7, 0)")
			.containsExactly(9, 9, 9, 9);
		assertThat(round).isEqualTo(new Round(this.clock.instant(), this.clock.instant(), 25, 0, 0));
		assertThat(healthCheck.getTotals()).isEqualTo(new XrefHealthCheck.Totals(25, 0, 0));
		assertThat(healthCheck.getCurrentRound()).as("no scheduled round").isNull();
		assertThat(this.events).isEmpty();
	}

	@Test
	void checkNowChecksAgainWhatATickClaimedButLeavesTheTicksNothingForAnInterval() throws Exception {
		connect(12);
		XrefHealthCheck healthCheck = start();
		HealthCheckTesting.tick(healthCheck);
		assertThat(this.xref.requests("/auth")).as("the tick's share, at least one").hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(await(healthCheck.checkNow()).checked()).isEqualTo(12);
		this.clock.advance(healthCheck.getTickPeriod());
		HealthCheckTesting.tick(healthCheck);

		assertThat(this.xref.requests("/auth")).hasSize(13);
		assertThat(healthCheck.getCurrentRound().checked()).as("the scheduled round counts its ticks only")
			.isEqualTo(1);
		assertThat(healthCheck.getTotals().checked()).isEqualTo(13);
	}

	@Test
	void aTokenRevokedAtXrefIsMarkedBrokenAndAnnouncedOnce() throws Exception {
		connect(3);
		XrefHealthCheck healthCheck = start();
		this.xref.revokeAccount("acct-1");

		Round round = await(healthCheck.checkNow());

		assertThat(round).extracting(Round::checked, Round::broken, Round::failed).containsExactly(3L, 1L, 0L);
		assertThat(this.store.rejections).singleElement().satisfies((rejection) -> {
			assertThat(rejection.xrefAccountId()).isEqualTo("acct-1");
			assertThat(rejection.rejectedBy()).isEqualTo(RejectedBy.HEALTH_CHECK);
		});
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(XrefRevokedEvent.class,
					(event) -> assertThat(event.tenantKeys()).containsExactly("tenant-1"));
		assertThat(this.store.findByTenant("tenant-1")).isEmpty();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(await(healthCheck.checkNow())).extracting(Round::checked, Round::broken).containsExactly(2L, 0L);
		assertThat(this.events).hasSize(1);
		assertThat(healthCheck.getTotals()).isEqualTo(new XrefHealthCheck.Totals(5, 1, 0));
	}

	@Test
	void checkNowFailsWhenTheHealthCheckIsNotRunning() {
		connect(2);
		XrefHealthCheck healthCheck = healthCheck();

		assertThat(healthCheck.checkNow()).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		healthCheck.start();
		healthCheck.stop();
		assertThat(healthCheck.checkNow()).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(this.xref.requests("/auth")).isEmpty();
	}

	@Test
	void a429EndsItEarlyWithTheRestOfTheBatchFailedAndPausesTheTicks() throws Exception {
		connect(20);
		XrefHealthCheck healthCheck = start();
		this.xref.overrideNextResponse("/auth",
				new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());

		Round round = await(healthCheck.checkNow());

		assertThat(round).extracting(Round::checked, Round::broken, Round::failed).containsExactly(0L, 0L, 9L);
		assertThat(this.xref.requests("/auth")).hasSize(1);
		assertThat(this.store.claimLimits).as("no batch after the 429").hasSize(1);
		assertThat(healthCheck.getTotals()).isEqualTo(new XrefHealthCheck.Totals(0, 0, 9));

		this.clock.advance(Duration.ofSeconds(29));
		HealthCheckTesting.tick(healthCheck);
		assertThat(this.store.claimLimits).as("the ticks pause too").hasSize(1);
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> await(healthCheck.checkNow()))
			.havingCause()
			.isInstanceOfSatisfying(XrefRateLimitedException.class,
					(ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(1)));

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(await(healthCheck.checkNow()).checked()).isEqualTo(20);
	}

	@Test
	void aCheckNowWhileARoundIsUnderWayGetsThatRound() throws Exception {
		connect(3);
		XrefHealthCheck healthCheck = start();
		CountDownLatch waiting = new CountDownLatch(1);
		CountDownLatch go = new CountDownLatch(1);
		healthCheck.setSleeper((duration) -> {
			waiting.countDown();
			go.await();
		});
		CompletableFuture<Round> first = healthCheck.checkNow();
		assertThat(waiting.await(30, TimeUnit.SECONDS)).as("under way").isTrue();
		CompletableFuture<Round> second = healthCheck.checkNow();
		go.countDown();

		assertThat(second).isSameAs(first);
		assertThat(await(first).checked()).isEqualTo(3);
		assertThat(this.xref.requests("/auth")).hasSize(3);
	}

	@Test
	void aRoundThatTheStopInterruptsFailsAndChecksNoMore() throws Exception {
		connect(5);
		XrefHealthCheck healthCheck = start();
		CountDownLatch waiting = new CountDownLatch(1);
		healthCheck.setSleeper((duration) -> {
			waiting.countDown();
			Thread.sleep(60_000);
		});
		CompletableFuture<Round> round = healthCheck.checkNow();
		assertThat(waiting.await(30, TimeUnit.SECONDS)).as("under way").isTrue();
		healthCheck.stop();

		assertThat(round).failsWithin(Duration.ofSeconds(30))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(this.xref.requests("/auth")).as("only the call before the wait").hasSize(1);
	}

	private void connect(int count) {
		for (int i = 0; i < count; i++) {
			this.store.save("tenant-" + i, HealthCheckTesting.connect(this.xref, "acct-" + i));
		}
		this.xref.clearRequests();
	}

	private XrefHealthCheck healthCheck() {
		XrefHealthCheck healthCheck = new XrefHealthCheck(this.store,
				HealthCheckTesting.restClient(this.xref.baseUrl(), Duration.ofSeconds(5)), INTERVAL, MAX_RATE);
		healthCheck.setApplicationEventPublisher(this.events::add);
		HealthCheckTesting.useClock(healthCheck, this.clock);
		return healthCheck;
	}

	private XrefHealthCheck start() {
		XrefHealthCheck healthCheck = healthCheck();
		healthCheck.start();
		this.started.add(healthCheck);
		return healthCheck;
	}

	private static Round await(CompletableFuture<Round> round) throws Exception {
		return round.get(30, TimeUnit.SECONDS);
	}

}
