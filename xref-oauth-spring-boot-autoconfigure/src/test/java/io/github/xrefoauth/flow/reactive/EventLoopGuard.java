package io.github.xrefoauth.flow.reactive;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.token.XrefTokenClient;
import reactor.core.scheduler.Schedulers;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Wraps blocking components (the store, the token client, the data source) and records
 * every call made on a non-blocking thread: a Netty event loop or a Reactor parallel
 * thread.
 */
public final class EventLoopGuard {

	public static final List<String> violations = new CopyOnWriteArrayList<>();

	public static final AtomicInteger calls = new AtomicInteger();

	private EventLoopGuard() {
	}

	static void check(String call) {
		calls.incrementAndGet();
		Thread thread = Thread.currentThread();
		if (Schedulers.isInNonBlockingThread() || thread.getName().startsWith("reactor-http")) {
			violations.add(call + " on " + thread.getName());
		}
	}

	static XrefTokenClient wrap(XrefTokenClient tokenClient) {
		return (code) -> {
			check("exchange");
			return tokenClient.exchange(code);
		};
	}

	static DataSource wrap(DataSource dataSource) {
		return new DelegatingDataSource(dataSource) {

			@Override
			public Connection getConnection() throws SQLException {
				check("getConnection");
				return super.getConnection();
			}

		};
	}

	static XrefAccountStore wrap(XrefAccountStore store) {
		return new XrefAccountStore() {

			@Override
			public void save(String tenantKey, XrefConnection connection) {
				check("save");
				store.save(tenantKey, connection);
			}

			@Override
			public Optional<XrefConnection> findByTenant(String tenantKey) {
				check("findByTenant");
				return store.findByTenant(tenantKey);
			}

			@Override
			public Optional<XrefConnection> findByAccount(String xrefAccountId) {
				check("findByAccount");
				return store.findByAccount(xrefAccountId);
			}

			@Override
			public boolean deleteAccount(String xrefAccountId) {
				check("deleteAccount");
				return store.deleteAccount(xrefAccountId);
			}

			@Override
			public boolean deleteByAccessToken(String accessToken) {
				check("deleteByAccessToken");
				return store.deleteByAccessToken(accessToken);
			}

			@Override
			public boolean reject(XrefConnection connection, Instant rejectedAt,
					XrefConnectionStatus.RejectedBy rejectedBy) {
				check("reject");
				return store.reject(connection, rejectedAt, rejectedBy);
			}

			@Override
			public XrefConnectionStatus status(String tenantKey) {
				check("status");
				return store.status(tenantKey);
			}

			@Override
			public List<String> findTenants(String xrefAccountId) {
				check("findTenants");
				return store.findTenants(xrefAccountId);
			}

		};
	}

}
