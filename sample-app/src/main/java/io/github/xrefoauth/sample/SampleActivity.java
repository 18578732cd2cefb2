package io.github.xrefoauth.sample;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefRestoredEvent;
import io.github.xrefoauth.event.XrefRevokedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The last connection events of each tenant, kept in memory for the dashboard.
 */
@Component
class SampleActivity {

	/** How many events the dashboard shows per tenant. */
	static final int SIZE = 10;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final Map<String, Deque<Entry>> tenants = new ConcurrentHashMap<>();

	@EventListener
	void on(XrefConnectionEvent event) {
		// Tenant keys come from the sample's resolver: a fixed, small set.
		Entry entry = new Entry(TIME.format(event.time()), describe(event));
		for (String tenant : tenants(event)) {
			Deque<Entry> entries = this.tenants.computeIfAbsent(tenant, (key) -> new ArrayDeque<>());
			synchronized (entries) {
				entries.addFirst(entry);
				while (entries.size() > SIZE) {
					entries.removeLast();
				}
			}
		}
	}

	/**
	 * The tenants an event concerns: a revocation or a restore changes the connection of
	 * every tenant linked to the account, and the health check finds a revocation outside
	 * any tenant's request.
	 */
	private static Set<String> tenants(XrefConnectionEvent event) {
		Set<String> tenants = new LinkedHashSet<>();
		if (event.tenantKey() != null) {
			tenants.add(event.tenantKey());
		}
		if (event instanceof XrefRevokedEvent revoked) {
			tenants.addAll(revoked.tenantKeys());
		}
		if (event instanceof XrefRestoredEvent restored) {
			tenants.addAll(restored.tenantKeys());
		}
		return tenants;
	}

	/**
	 * Returns the tenant's last events, newest first.
	 * @param tenant the tenant
	 * @return at most {@value #SIZE} entries
	 */
	List<Entry> of(String tenant) {
		Deque<Entry> entries = this.tenants.get(tenant);
		if (entries == null) {
			return List.of();
		}
		synchronized (entries) {
			return List.copyOf(entries);
		}
	}

	private static String describe(XrefConnectionEvent event) {
		String by = (event.endUser() != null) ? " by " + event.endUser() : "";
		if (event instanceof XrefConnectFailedEvent failed) {
			return "Connect failed (" + failed.reason().code() + ")" + by;
		}
		String account = " Xref account " + event.xrefAccountId();
		if (event instanceof XrefConnectedEvent) {
			return "Connected" + account + by;
		}
		if (event instanceof XrefDisconnectedEvent) {
			return "Disconnected" + account + by;
		}
		if (event instanceof XrefRevokedEvent revoked) {
			return "Xref rejected the token of" + account + ", " + DashboardController.foundBy(revoked.rejectedBy())
					+ ": a reconnect is needed";
		}
		if (event instanceof XrefRestoredEvent) {
			return "Reconnected" + account + by + ": it works again";
		}
		return "Forgot" + account + by;
	}

	/**
	 * One line of the activity list.
	 *
	 * @param time when, formatted for display
	 * @param text what happened; fixed words, account ids and user names only
	 */
	record Entry(String time, String text) {

	}

}
