package io.github.xrefoauth.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.health.XrefHealthCheck.Round;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * The operator's "Run a health round now", with a health check whose rounds the tests
 * decide. The page waits for a round at most {@code sample.health-round.wait}, here a
 * tenth of a second.
 */
@SpringBootTest(properties = { "sample.simulator.enabled=false", "sample.health-round.wait=100ms" })
@AutoConfigureMockMvc
class SampleHealthRoundTests {

	private static final String DATABASE_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private static final Instant STARTED = Instant.parse("2026-03-03T10:00:00Z");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private UserDetailsService users;

	@MockitoBean
	private XrefHealthCheck healthCheck;

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> DATABASE_URL);
	}

	@Test
	void onlyTheOperatorRunsAHealthRound() {
		given(this.healthCheck.checkNow()).willReturn(round(1, 0, 0));
		assertThat(this.mvc.post().uri("/operations/health-round").with(csrf())).hasStatus3xxRedirection()
			.hasRedirectedUrl("/login");
		for (String endUser : new String[] { "alice", "carol" }) {
			assertThat(this.mvc.post().uri("/operations/health-round").with(user(demoUser(endUser))).with(csrf()))
				.as(endUser)
				.hasStatus(HttpStatus.FORBIDDEN);
		}
		then(this.healthCheck).should(never()).checkNow();
		assertThat(runRound()).hasStatus3xxRedirection().hasRedirectedUrl("/");
		then(this.healthCheck).should().checkNow();
	}

	@Test
	void healthRoundRequiresTheCsrfToken() {
		assertThat(this.mvc.post().uri("/operations/health-round").with(user(demoUser("operator"))))
			.hasStatus(HttpStatus.FORBIDDEN);
		then(this.healthCheck).should(never()).checkNow();
	}

	@Test
	void onlyTheOperatorsDashboardOffersTheHealthRound() {
		assertThat(this.mvc.get().uri("/").with(user(demoUser("operator")))).hasStatusOk()
			.bodyText()
			.contains("id=\"health-round\"")
			.contains("action=\"/operations/health-round\"")
			.contains("name=\"_csrf\"");
		assertThat(this.mvc.get().uri("/").with(user(demoUser("alice")))).hasStatusOk()
			.bodyText()
			.doesNotContain("health-round");
	}

	@Test
	void healthRoundSaysHowManyWereCheckedBrokenAndNotChecked() {
		given(this.healthCheck.checkNow()).willReturn(round(3, 1, 2));
		HealthRoundController.RoundNotice notice = new HealthRoundController.RoundNotice(false,
				"Health round: 3 checked, 1 broken, 2 could not be checked.");
		assertThat(runRound()).flash().containsEntry("notice", notice);
		assertThat(this.mvc.get().uri("/").with(user(demoUser("operator"))).flashAttr("notice", notice)).hasStatusOk()
			.bodyText()
			.contains("Health round: 3 checked, 1 broken, 2 could not be checked.");
	}

	@Test
	void healthRoundThatFoundNothingWrongIsASuccess() {
		given(this.healthCheck.checkNow()).willReturn(round(4, 0, 0));
		assertThat(runRound()).flash()
			.containsEntry("notice", new HealthRoundController.RoundNotice(true,
					"Health round: 4 checked, 0 broken, 0 could not be checked."));
	}

	@Test
	void healthRoundWhenTheHealthCheckIsNotRunningSaysSo() {
		given(this.healthCheck.checkNow()).willReturn(
				CompletableFuture.failedFuture(new IllegalStateException("The Xref health check is not running")));
		assertThat(runRound()).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.HEALTH_CHECK_NOT_RUNNING);
	}

	@Test
	void healthRoundThatOutlastsTheWaitSaysItGoesOn() {
		given(this.healthCheck.checkNow()).willReturn(new CompletableFuture<>());
		assertThat(runRound()).hasStatus3xxRedirection().flash().containsEntry("notice", Notice.HEALTH_ROUND_PENDING);
	}

	@Test
	void healthRoundWhileXrefAsksToWaitSaysSo() {
		given(this.healthCheck.checkNow()).willReturn(CompletableFuture
			.failedFuture(new XrefRateLimitedException("POST /auth", null, Duration.ofSeconds(30))));
		assertThat(runRound()).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.HEALTH_ROUND_RATE_LIMITED);
	}

	@Test
	void healthRoundThatFailsOtherwiseSaysSoWithoutAnErrorPage() {
		given(this.healthCheck.checkNow())
			.willReturn(CompletableFuture.failedFuture(new IllegalArgumentException("unexpected")));
		assertThat(runRound()).hasStatus3xxRedirection().flash().containsEntry("notice", Notice.HEALTH_ROUND_FAILED);
	}

	@Test
	void operatorsDashboardShowsTheLastScheduledRound() {
		given(this.healthCheck.getLastRound()).willReturn(null);
		assertThat(this.mvc.get().uri("/").with(user(demoUser("operator")))).hasStatusOk()
			.bodyText()
			.contains("No scheduled round has ended yet.")
			.doesNotContain("id=\"last-round\"");
		given(this.healthCheck.getLastRound())
			.willReturn(new Round(STARTED, STARTED.plus(Duration.ofHours(1)), 12, 1, 0));
		assertThat(this.mvc.get().uri("/").with(user(demoUser("operator")))).hasStatusOk()
			.bodyText()
			.contains("2026-03-03 10:00:00 UTC")
			.contains("2026-03-03 11:00:00 UTC")
			.contains("id=\"last-round-outcome\">12 checked, 1 broken, 0 could not be checked<");
	}

	/**
	 * The operator presses "Run a health round now".
	 */
	private MvcTestResult runRound() {
		return this.mvc.post().uri("/operations/health-round").with(user(demoUser("operator"))).with(csrf()).exchange();
	}

	private static CompletableFuture<Round> round(long checked, long broken, long failed) {
		return CompletableFuture.completedFuture(new Round(STARTED, STARTED.plusSeconds(2), checked, broken, failed));
	}

	/**
	 * The demo user as the sample configures it, with its roles.
	 */
	private UserDetails demoUser(String username) {
		return this.users.loadUserByUsername(username);
	}

}
