package io.github.xrefoauth.sample;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
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
		String tenant = event.tenantKey();
		if (tenant == null) {
			return;
		}
		Deque<Entry> entries = this.tenants.computeIfAbsent(tenant, (key) -> new ArrayDeque<>());
		synchronized (entries) {
			entries.addFirst(new Entry(TIME.format(event.time()), describe(event)));
			while (entries.size() > SIZE) {
				entries.removeLast();
			}
		}
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
		if (event instanceof XrefRevokedEvent) {
			return "Xref no longer accepts the token of" + account + ": the connection was removed";
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
