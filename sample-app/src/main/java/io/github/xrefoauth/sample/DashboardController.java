package io.github.xrefoauth.sample;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.account.XrefConnectionStatus.State;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.autoconfigure.XrefOAuthProperties;
import io.github.xrefoauth.client.XrefBusyException;
import io.github.xrefoauth.client.XrefConnectionService;
import io.github.xrefoauth.client.XrefVerification;
import io.github.xrefoauth.event.XrefConnectFailure;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.test.XrefSimulator;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard: the tenant's Xref connection with Connect, Verify and Disconnect, and
 * Forget when Xref refuses to revoke the token; Reconnect and Disconnect when Xref
 * rejected the token. The operator, who belongs to no tenant, gets a link to the Actuator
 * endpoint instead.
 */
@Controller
class DashboardController {

	private static final Log logger = LogFactory.getLog(DashboardController.class);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String NOTICE = "notice";

	private static final String OFFER_FORGET = "offerForget";

	private final XrefConnectionService connectionService;

	private final XrefTenantContext tenantContext;

	private final ObjectProvider<XrefSimulator> simulator;

	private final URI redirectUri;

	private final SampleActivity activity;

	private final ObjectProvider<XrefHealthCheck> healthCheck;

	DashboardController(XrefConnectionService connectionService, XrefTenantContext tenantContext,
			ObjectProvider<XrefSimulator> simulator, XrefOAuthProperties properties, SampleActivity activity,
			ObjectProvider<XrefHealthCheck> healthCheck) {
		this.connectionService = connectionService;
		this.tenantContext = tenantContext;
		this.simulator = simulator;
		this.redirectUri = URI.create(String.valueOf(properties.getRedirectUri()));
		this.activity = activity;
		this.healthCheck = healthCheck;
	}

	@GetMapping("/")
	String dashboard(Authentication user,
			@RequestParam(name = "connected", required = false) @Nullable String connected,
			@RequestParam(name = XrefConnectFailure.PARAMETER, required = false) @Nullable String failure,
			HttpServletRequest request, Model model) {
		model.addAttribute("username", user.getName());
		boolean operator = isOperator(user);
		model.addAttribute("operator", operator);
		if (operator) {
			addHealthCheck(model);
		}
		String tenant = this.tenantContext.findTenant(user).orElse(null);
		model.addAttribute("tenant", tenant);
		model.addAttribute("activity", (tenant != null) ? this.activity.of(tenant) : List.of());
		XrefConnectionStatus status = XrefConnectionStatus.notConnected();
		if (tenant != null) {
			try {
				status = status();
			}
			catch (DataAccessException ex) {
				logger.warn("Reading the Xref connection failed: " + ex.getClass().getSimpleName());
				model.addAttribute("connectionUnknown", true);
				model.addAttribute(NOTICE, Notice.STORE_UNAVAILABLE);
			}
		}
		if (status.state() == State.CONNECTED) {
			model.addAttribute("connection",
					new ConnectionView(status.xrefAccountId(), status.connectedBy(), format(status.connectedAt())));
		}
		else if (status.state() == State.RECONNECT_NEEDED) {
			model.addAttribute("reconnect",
					new ReconnectView(status.xrefAccountId(), status.connectedBy(), format(status.connectedAt()),
							format(status.rejectedAt()), foundBy(Objects.requireNonNull(status.rejectedBy()))));
		}
		if (!request.getServerName().equalsIgnoreCase(this.redirectUri.getHost())) {
			// The session cookie belongs to the host the browser used, and Xref sends
			// the browser back to the redirect URI's host.
			model.addAttribute("appUrl", this.redirectUri.resolve("/").toString());
		}
		if (!model.containsAttribute(NOTICE)) {
			if (failure != null) {
				model.addAttribute(NOTICE, Notice.ofConnectFailure(failure));
			}
			else if (connected != null && status.state() == State.CONNECTED) {
				model.addAttribute(NOTICE, Notice.CONNECTED);
			}
		}
		XrefSimulator xrefSimulator = this.simulator.getIfAvailable();
		if (xrefSimulator != null) {
			model.addAttribute("simulatorUrl", xrefSimulator.baseUrl() + "/simulator");
		}
		return "dashboard";
	}

	@PostMapping("/xref/verify")
	String verify(RedirectAttributes redirect) {
		return act("Verifying the Xref token", redirect, () -> notice(this.connectionService.verify()));
	}

	@PostMapping("/xref/disconnect")
	String disconnect(RedirectAttributes redirect) {
		return act("Disconnecting the Xref account", redirect, () -> {
			// A connection that needs a reconnect holds no token: disconnect removes it.
			boolean broken = this.connectionService.status().state() == State.RECONNECT_NEEDED;
			try {
				this.connectionService.disconnect();
			}
			catch (XrefApiException ex) {
				if (!ex.isRefusal()) {
					throw ex;
				}
				logger.warn("Xref refused to deauthorize: HTTP " + ex.getStatusCode().value());
				redirect.addFlashAttribute(OFFER_FORGET, true);
				return Notice.REFUSED;
			}
			// A tenant member may have connected again while this one disconnected.
			if (this.connectionService.current().isPresent()) {
				return Notice.RECONNECTED_MEANWHILE;
			}
			return broken ? Notice.REMOVED : Notice.DISCONNECTED;
		});
	}

	@PostMapping("/xref/forget")
	String forget(RedirectAttributes redirect) {
		return act("Forgetting the Xref account", redirect, () -> {
			this.connectionService.forget();
			return Notice.FORGOTTEN;
		});
	}

	/**
	 * Returns the tenant's status. A connected tenant's connection is read as well: the
	 * status needs no token, and a token that this instance cannot read (say, of an
	 * encryption key it lacks) is a store failure, not a working connection.
	 */
	private XrefConnectionStatus status() {
		XrefConnectionStatus status = this.connectionService.status();
		if (status.state() == State.CONNECTED && this.connectionService.current().isEmpty()) {
			// Disconnected between the two reads.
			return XrefConnectionStatus.notConnected();
		}
		return status;
	}

	private void addHealthCheck(Model model) {
		XrefHealthCheck healthCheck = this.healthCheck.getIfAvailable();
		model.addAttribute("healthCheckOn", healthCheck != null);
		XrefHealthCheck.Round last = (healthCheck != null) ? healthCheck.getLastRound() : null;
		if (last != null) {
			model.addAttribute("lastRound", new RoundView(format(last.startedAt()), format(last.endedAt()),
					HealthRoundController.describe(last)));
		}
	}

	private static String format(@Nullable Instant time) {
		return (time != null) ? TIME.format(time) : "";
	}

	/**
	 * Says which call found that Xref rejected the token.
	 * @param rejectedBy the call
	 * @return the words, after "found by" or alone
	 */
	static String foundBy(RejectedBy rejectedBy) {
		return switch (rejectedBy) {
			case HEALTH_CHECK -> "found by the health check";
			case VERIFY -> "found by Verify";
			case API_CALL -> "found by an API call";
		};
	}

	private static boolean isOperator(Authentication user) {
		return user.getAuthorities()
			.stream()
			.anyMatch((authority) -> ("ROLE_" + SampleSecurityConfiguration.OPERATOR_ROLE)
				.equals(authority.getAuthority()));
	}

	private static Notice notice(XrefVerification verification) {
		return switch (verification) {
			case ACCEPTED -> Notice.VERIFIED;
			case FORGOTTEN -> Notice.REVOKED;
			case REPLACED -> Notice.REPLACED;
		};
	}

	private String act(String what, RedirectAttributes redirect, Supplier<Notice> action) {
		Notice notice;
		try {
			notice = action.get();
		}
		catch (XrefNotConnectedException ex) {
			notice = Notice.NOT_CONNECTED;
		}
		catch (XrefBusyException ex) {
			// Xref is stalled; the bound already tells operators how many calls wait.
			logger.debug(what + " was refused: too many calls to Xref in progress");
			notice = Notice.XREF_BUSY;
		}
		catch (RestClientException ex) {
			logger.warn(what + " failed: " + ex.getClass().getSimpleName());
			notice = Notice.XREF_UNAVAILABLE;
		}
		catch (DataAccessException ex) {
			logger.warn(what + " failed in the database: " + ex.getClass().getSimpleName());
			notice = Notice.STORE_UNAVAILABLE;
		}
		redirect.addFlashAttribute(NOTICE, notice);
		return "redirect:/";
	}

	/**
	 * What the dashboard shows of a connection; never the token.
	 *
	 * @param xrefAccountId the Xref account
	 * @param connectedBy the end user who connected it
	 * @param connectedAt when, formatted for display
	 */
	record ConnectionView(@Nullable String xrefAccountId, @Nullable String connectedBy, String connectedAt) {

	}

	/**
	 * What the operator's dashboard shows of the health check's last scheduled round.
	 *
	 * @param startedAt when it started, formatted for display
	 * @param endedAt when it ended, formatted for display
	 * @param outcome its counts in words
	 */
	record RoundView(String startedAt, String endedAt, String outcome) {

	}

	/**
	 * What the dashboard shows of a connection whose token Xref rejected.
	 *
	 * @param xrefAccountId the Xref account
	 * @param connectedBy the end user who had connected it
	 * @param connectedAt when, formatted for display
	 * @param rejectedAt when Xref rejected the token, formatted for display
	 * @param foundBy which call found it, in words
	 */
	record ReconnectView(@Nullable String xrefAccountId, @Nullable String connectedBy, String connectedAt,
			String rejectedAt, String foundBy) {

	}

}
