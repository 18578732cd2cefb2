package io.github.xrefoauth.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.webhook.XrefWebhookStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * {@link Endpoint @Endpoint} {@code xref}: what to register with Xref, which store holds
 * the connections and how many per status, connect outcomes and webhook deliveries since
 * start-up, and the health check's rounds. It shows no secret and no token.
 *
 * @since 0.1.0
 */
@Endpoint(id = "xref")
public class XrefEndpoint {

	private final Registration registration;

	private final String storeType;

	private final XrefAccountStore store;

	private final XrefConnectOutcomes connectOutcomes;

	private final @Nullable WebhookSettings webhook;

	private @Nullable XrefHealthCheck healthCheck;

	/**
	 * Creates an endpoint.
	 * @param registration the values to register with Xref
	 * @param storeType the configured store type ({@code xref.oauth.store.type})
	 * @param store the store in use
	 * @param connectOutcomes the connect outcome counts
	 * @param webhook the webhook receiver's settings and counts, or {@code null} without
	 * a receiver
	 */
	public XrefEndpoint(Registration registration, String storeType, XrefAccountStore store,
			XrefConnectOutcomes connectOutcomes, @Nullable WebhookSettings webhook) {
		Assert.notNull(registration, "registration cannot be null");
		Assert.notNull(store, "store cannot be null");
		Assert.notNull(connectOutcomes, "connectOutcomes cannot be null");
		this.registration = registration;
		this.storeType = storeType;
		this.store = store;
		this.connectOutcomes = connectOutcomes;
		this.webhook = webhook;
	}

	/**
	 * Sets the health check whose rounds are shown. Defaults to none.
	 * @param healthCheck the health check, or {@code null} if there is none
	 */
	public void setHealthCheck(@Nullable XrefHealthCheck healthCheck) {
		this.healthCheck = healthCheck;
	}

	private Map<String, Long> connectOutcomes() {
		Map<String, Long> outcomes = new LinkedHashMap<>();
		outcomes.put("connected", this.connectOutcomes.connected());
		outcomes.putAll(this.connectOutcomes.failures());
		return outcomes;
	}

	/**
	 * Reads the current state.
	 * @return the state
	 */
	@ReadOperation
	public XrefDescriptor xref() {
		Long accounts = null;
		Long tenants = null;
		Long toReconnect = null;
		if (this.store instanceof XrefAccountCounts counts) {
			accounts = counts.countAccounts();
			tenants = counts.countTenants();
			toReconnect = counts.countAccountsToReconnect();
		}
		Store store = new Store(this.storeType, ClassUtils.getUserClass(this.store).getName(), accounts, tenants,
				toReconnect);
		XrefHealthCheck check = this.healthCheck;
		HealthCheck healthCheck = (check != null) ? new HealthCheck(check.getInterval().toString(), check.getMaxRate(),
				check.getCurrentRound(), check.getLastRound()) : null;
		Webhook webhook = (this.webhook != null)
				? new Webhook(this.webhook.path(), this.webhook.maxBodySize(), this.webhook.statistics().accepted(),
						this.webhook.statistics().verified(), this.webhook.statistics().rejected())
				: null;
		return new XrefDescriptor(this.registration, store, connectOutcomes(), webhook, healthCheck);
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param registration the values to register with Xref
	 * @param store the store of connections
	 * @param connectOutcomes connects since start-up: {@code connected} and one count per
	 * failure code
	 * @param webhook the webhook receiver, or {@code null} if there is none
	 * @param healthCheck the health check, or {@code null} if it is off
	 */
	public record XrefDescriptor(Registration registration, Store store, Map<String, Long> connectOutcomes,
			@Nullable Webhook webhook, @Nullable HealthCheck healthCheck) implements OperationResponseBody {

	}

	/**
	 * The values a platform sends Xref to register, under Xref's names.
	 *
	 * @param clientId the client id Xref issued
	 * @param redirectUrl the {@code redirect_url}
	 * @param redirectUrlHttps whether it is HTTPS, as Xref requires
	 * @param webhookUrl the {@code webhook_url}, or {@code null} without a webhook path
	 */
	public record Registration(@JsonProperty("client_id") String clientId,
			@JsonProperty("redirect_url") String redirectUrl,
			@JsonProperty("redirect_url_https") boolean redirectUrlHttps,
			@JsonProperty("webhook_url") @Nullable String webhookUrl) {

	}

	/**
	 * The store of connections.
	 *
	 * @param type the configured type: {@code auto}, {@code memory} or {@code jdbc}
	 * @param implementation the class of the store in use
	 * @param connectedAccounts accounts with a stored token, or {@code null} if the store
	 * cannot count
	 * @param connectedTenants tenants linked to one, or {@code null} if the store cannot
	 * count
	 * @param reconnectNeededAccounts accounts whose token Xref rejected, kept until a
	 * reconnect, or {@code null} if the store cannot count
	 */
	public record Store(String type, String implementation, @Nullable Long connectedAccounts,
			@Nullable Long connectedTenants, @Nullable Long reconnectNeededAccounts) {

	}

	/**
	 * The scheduled health check.
	 *
	 * @param interval how often each connection is checked, as an ISO-8601 duration
	 * @param maxRate the most calls to Xref per second
	 * @param currentRound the round in progress, or {@code null} before the first tick
	 * @param lastRound the last round that ended, or {@code null} if none did
	 */
	public record HealthCheck(String interval, double maxRate, XrefHealthCheck.@Nullable Round currentRound,
			XrefHealthCheck.@Nullable Round lastRound) {

	}

	/**
	 * The webhook receiver.
	 *
	 * @param path its path within the application
	 * @param maxBodySize the largest body accepted, in bytes
	 * @param accepted deliveries accepted since start-up
	 * @param verified accepted deliveries that were verified
	 * @param rejected deliveries refused since start-up, per reason
	 */
	public record Webhook(String path, long maxBodySize, long accepted, long verified, Map<String, Long> rejected) {

	}

	/**
	 * The webhook receiver's settings and counters.
	 *
	 * @param path its path within the application
	 * @param maxBodySize the largest body accepted, in bytes
	 * @param statistics its counters
	 */
	public record WebhookSettings(String path, long maxBodySize, XrefWebhookStatistics statistics) {

	}

}
