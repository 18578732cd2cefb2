package io.github.xrefoauth.sample;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.health.XrefHealthCheck.Round;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's "Run a health round now": checks every stored connection at Xref at once
 * with {@link XrefHealthCheck#checkNow()} and waits for the outcome at most
 * {@code sample.health-round.wait}. Only the operator may post here
 * ({@link SampleSecurityConfiguration}).
 */
@Controller
class HealthRoundController {

	/** Where the operator posts. */
	static final String PATH = "/operations/health-round";

	private static final Log logger = LogFactory.getLog(HealthRoundController.class);

	private final ObjectProvider<XrefHealthCheck> healthCheck;

	private final Duration wait;

	HealthRoundController(ObjectProvider<XrefHealthCheck> healthCheck,
			@Value("${sample.health-round.wait:30s}") Duration wait) {
		this.healthCheck = healthCheck;
		this.wait = wait;
	}

	@PostMapping(PATH)
	String runNow(RedirectAttributes redirect) {
		redirect.addFlashAttribute("notice", runNow());
		return "redirect:/";
	}

	private Object runNow() {
		XrefHealthCheck healthCheck = this.healthCheck.getIfAvailable();
		if (healthCheck == null) {
			return Notice.HEALTH_CHECK_OFF;
		}
		try {
			return RoundNotice.of(healthCheck.checkNow().get(this.wait.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (TimeoutException ex) {
			// The round goes on; what it finds shows on the tenants' dashboards.
			return Notice.HEALTH_ROUND_PENDING;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Notice.HEALTH_ROUND_FAILED;
		}
		catch (ExecutionException ex) {
			return failed(ex.getCause());
		}
	}

	private static Notice failed(Throwable cause) {
		if (cause instanceof IllegalStateException) {
			return Notice.HEALTH_CHECK_NOT_RUNNING;
		}
		if (cause instanceof XrefRateLimitedException) {
			return Notice.HEALTH_ROUND_RATE_LIMITED;
		}
		if (cause instanceof DataAccessException) {
			logger.warn("The health round failed in the database: " + cause.getClass().getSimpleName());
			return Notice.STORE_UNAVAILABLE;
		}
		logger.warn("The health round failed: " + ((cause != null) ? cause.getClass().getSimpleName() : "unknown"));
		return Notice.HEALTH_ROUND_FAILED;
	}

	/**
	 * The outcome of a round in words.
	 * @param round the round
	 * @return the counts, as the dashboard shows them
	 */
	static String describe(Round round) {
		return round.checked() + " checked, " + round.broken() + " broken, " + round.failed() + " could not be checked";
	}

	/**
	 * The notice after a round run now: its counts, a problem if it found a broken
	 * connection or could not check one.
	 *
	 * @param success whether every connection was checked and none was broken
	 * @param text the counts in words
	 */
	record RoundNotice(boolean success, String text) {

		static RoundNotice of(Round round) {
			return new RoundNotice(round.broken() == 0 && round.failed() == 0,
					"Health round: " + describe(round) + ".");
		}

	}

}
