package io.github.xrefoauth.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.xrefoauth.health.HealthCheckTesting;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.test.XrefSimulator;
import io.github.xrefoauth.testing.MutableClock;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances on one PostgreSQL database share the health check through the
 * store's claims: 1,000 connections make exactly 1,000 {@code POST /auth} requests per
 * round between them, each token once, counted at the Xref simulator, and together one
 * share per tick, so that the round spans the interval. Also measures the database
 * statements a round costs each instance (printed, and written in
 * docs/connection-health.md).
 */
class TwoInstancesOnePostgreSqlHealthCheckTests {

	private static final int CONNECTIONS = 1_000;

	private static final Duration INTERVAL = Duration.ofSeconds(100);

	private final XrefSimulator xref = HealthCheckTesting.register(XrefSimulator.start());

	private final MutableClock clock = new MutableClock();

	private TestDatabase database;

	private final Counted countedA = new Counted();

	private final Counted countedB = new Counted();

	private XrefHealthCheck instanceA;

	private XrefHealthCheck instanceB;

	@BeforeEach
	void setUp() {
		this.database = TestDatabase.postgresql();
		JdbcXrefAccountStore storeA = new JdbcXrefAccountStore(this.countedA.wrap(this.database.dataSource()),
				TestCiphers.cipher("k1"));
		JdbcXrefAccountStore storeB = new JdbcXrefAccountStore(this.countedB.wrap(this.database.newDataSource()),
				TestCiphers.cipher("k1"));
		for (int i = 0; i < CONNECTIONS; i++) {
			storeA.save("tenant-" + i, HealthCheckTesting.connect(this.xref, "acct-" + i));
		}
		this.instanceA = healthCheck(storeA);
		this.instanceB = healthCheck(storeB);
		this.xref.clearRequests();
		this.countedA.reset();
		this.countedB.reset();
	}

	@AfterEach
	void tearDown() {
		this.xref.close();
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void twoInstancesCheckEachOfTheirThousandConnectionsOncePerRoundSpreadOverTheInterval() {
		for (int round = 1; round <= 2; round++) {
			List<Integer> requestsPerTick = runRound();

			assertThat(requestsPerTick).as("1,000 connections x 1 s / 100 s, by both together, on every tick")
				.hasSize(100)
				.containsOnly(10);
			List<String> tokens = this.xref.requests("/auth").stream().map(this::authorization).toList();
			assertThat(tokens).as("round %d", round).hasSize(CONNECTIONS).doesNotHaveDuplicates();
			System.out.printf(
					"Round %d of %d connections, interval %s, tick %s: /auth requests %d; instance A: %d statements"
							+ " on %d connections; instance B: %d statements on %d connections%n",
					round, CONNECTIONS, INTERVAL, this.instanceA.getTickPeriod(), tokens.size(),
					this.countedA.statements.get(), this.countedA.connections.get(), this.countedB.statements.get(),
					this.countedB.connections.get());
			this.xref.clearRequests();
			this.countedA.reset();
			this.countedB.reset();
		}
		assertThat(this.instanceA.getTotals().checked()).isPositive();
		assertThat(this.instanceB.getTotals().checked()).isPositive();
		assertThat(this.instanceA.getTotals().checked() + this.instanceB.getTotals().checked())
			.isEqualTo(2 * CONNECTIONS);
		assertThat(this.instanceA.getTotals().failed() + this.instanceB.getTotals().failed()).isZero();
	}

	/**
	 * One interval of ticks, both instances ticking at the same moments, which of them
	 * first taking turns.
	 * @return the {@code POST /auth} requests of each tick, both instances together
	 */
	private List<Integer> runRound() {
		List<Integer> requestsPerTick = new ArrayList<>();
		long ticks = INTERVAL.dividedBy(this.instanceA.getTickPeriod());
		for (long i = 0; i < ticks; i++) {
			int before = this.xref.requests("/auth").size();
			XrefHealthCheck first = (i % 2 == 0) ? this.instanceA : this.instanceB;
			HealthCheckTesting.tick(first);
			HealthCheckTesting.tick((first == this.instanceA) ? this.instanceB : this.instanceA);
			requestsPerTick.add(this.xref.requests("/auth").size() - before);
			this.clock.advance(this.instanceA.getTickPeriod());
		}
		return requestsPerTick;
	}

	private XrefHealthCheck healthCheck(JdbcXrefAccountStore store) {
		XrefHealthCheck healthCheck = new XrefHealthCheck(store,
				HealthCheckTesting.restClient(this.xref.baseUrl(), Duration.ofSeconds(10)), INTERVAL, 50);
		HealthCheckTesting.useClock(healthCheck, this.clock);
		return healthCheck;
	}

	private String authorization(RecordedRequest request) {
		return request.getHeaders().get("Authorization");
	}

	/**
	 * Counts the connections an instance borrows from its pool and the statements it
	 * prepares on them.
	 */
	private static final class Counted {

		final AtomicLong connections = new AtomicLong();

		final AtomicLong statements = new AtomicLong();

		void reset() {
			this.connections.set(0);
			this.statements.set(0);
		}

		DataSource wrap(DataSource dataSource) {
			return proxy(DataSource.class, dataSource, (method, result) -> {
				if ("getConnection".equals(method.getName())) {
					this.connections.incrementAndGet();
					return proxy(Connection.class, result, (connectionMethod, statement) -> {
						String name = connectionMethod.getName();
						if (name.equals("prepareStatement") || name.equals("createStatement")
								|| name.equals("prepareCall")) {
							this.statements.incrementAndGet();
						}
						return statement;
					});
				}
				return result;
			});
		}

		private static <T> T proxy(Class<T> type, Object target, AfterCall afterCall) {
			InvocationHandler handler = (proxy, method, args) -> {
				try {
					return afterCall.after(method, method.invoke(target, args));
				}
				catch (InvocationTargetException ex) {
					throw ex.getCause();
				}
			};
			return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
		}

		interface AfterCall {

			Object after(Method method, Object result);

		}

	}

}
