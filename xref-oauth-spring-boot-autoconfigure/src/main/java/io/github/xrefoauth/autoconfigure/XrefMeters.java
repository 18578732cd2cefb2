package io.github.xrefoauth.autoconfigure;

import java.util.function.ToDoubleFunction;

import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge of the starter: {@code xref.connections}, the Xref accounts per connection
 * status, if the store counts them.
 */
final class XrefMeters implements MeterBinder {

	private final XrefAccountStore accountStore;

	XrefMeters(XrefAccountStore accountStore) {
		this.accountStore = accountStore;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.accountStore instanceof XrefAccountCounts counts) {
			connections(registry, counts, "connected", XrefAccountCounts::countAccounts);
			connections(registry, counts, "reconnect_needed", XrefAccountCounts::countAccountsToReconnect);
		}
	}

	private static void connections(MeterRegistry registry, XrefAccountCounts counts, String status,
			ToDoubleFunction<XrefAccountCounts> count) {
		Gauge.builder("xref.connections", counts, count)
			.description("Xref accounts per connection status")
			.tag("status", status)
			.register(registry);
	}

}
