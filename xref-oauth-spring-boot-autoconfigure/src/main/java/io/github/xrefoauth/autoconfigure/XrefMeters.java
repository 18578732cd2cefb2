package io.github.xrefoauth.autoconfigure;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The meters of the starter: {@code xref.connections}, the Xref accounts per connection
 * status (if the store counts), and {@code xref.health.check}, the outcomes of the health
 * check's checks (if it runs).
 */
final class XrefMeters implements MeterBinder {

	private final XrefAccountStore accountStore;

	private final Supplier<@Nullable XrefHealthCheck> healthCheck;

	XrefMeters(XrefAccountStore accountStore, Supplier<@Nullable XrefHealthCheck> healthCheck) {
		this.accountStore = accountStore;
		this.healthCheck = healthCheck;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.accountStore instanceof XrefAccountCounts counts) {
			connections(registry, counts, "connected", XrefAccountCounts::countAccounts);
			connections(registry, counts, "reconnect_needed", XrefAccountCounts::countAccountsToReconnect);
		}
		XrefHealthCheck healthCheck = this.healthCheck.get();
		if (healthCheck != null) {
			checks(registry, healthCheck, "valid", (check) -> check.getTotals().checked() - check.getTotals().broken());
			checks(registry, healthCheck, "broken", (check) -> check.getTotals().broken());
			checks(registry, healthCheck, "failed", (check) -> check.getTotals().failed());
		}
	}

	private static void connections(MeterRegistry registry, XrefAccountCounts counts, String status,
			ToDoubleFunction<XrefAccountCounts> count) {
		Gauge.builder("xref.connections", counts, count)
			.description("Xref accounts per connection status")
			.tag("status", status)
			.register(registry);
	}

	private static void checks(MeterRegistry registry, XrefHealthCheck healthCheck, String outcome,
			ToDoubleFunction<XrefHealthCheck> count) {
		FunctionCounter.builder("xref.health.check", healthCheck, count)
			.description("Connections the health check checked, per outcome")
			.tag("outcome", outcome)
			.register(registry);
	}

}
