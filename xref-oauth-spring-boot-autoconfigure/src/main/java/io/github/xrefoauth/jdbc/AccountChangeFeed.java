package io.github.xrefoauth.jdbc;

import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The table {@code xref_account_change}: each write of the store adds, in its own
 * transaction, a row for the account it changed and for each tenant whose link it
 * changed; each instance reads the rows after the last one it read and evicts what they
 * name from its cache.
 * <p>
 * Numbers are drawn when a row is inserted, but transactions commit in any order: a
 * number missing below the highest one read is a gap, and is looked for again on each
 * read until it shows up or the gap timeout has passed (its transaction rolled back, or
 * ran so long that the cache's time to live has to catch its change).
 */
final class AccountChangeFeed {

	static final Duration DEFAULT_GAP_TIMEOUT = Duration.ofSeconds(10);

	/** How many numbers before the highest one the first read looks at. */
	private static final int STARTUP_WINDOW = 1_000;

	private static final int MAX_GAPS = 10_000;

	private static final String INSERT = "INSERT INTO xref_account_change (xref_account_id, tenant_key, changed_at)"
			+ " VALUES ";

	private static final String SELECT_AFTER = "SELECT seq, xref_account_id, tenant_key FROM xref_account_change"
			+ " WHERE seq > ? ORDER BY seq";

	private final JdbcClient jdbcClient;

	/** Highest number read, -1 before the first read. */
	private long top = -1;

	/** Numbers below {@link #top} not read yet, with the time they are given up. */
	private final NavigableMap<Long, Long> gaps = new TreeMap<>();

	private volatile Duration gapTimeout = DEFAULT_GAP_TIMEOUT;

	AccountChangeFeed(JdbcClient jdbcClient) {
		this.jdbcClient = jdbcClient;
	}

	/**
	 * Adds the changes, in the caller's transaction.
	 * @param changes what a write changed
	 */
	void record(List<Change> changes) {
		if (changes.isEmpty()) {
			return;
		}
		StringBuilder sql = new StringBuilder(INSERT);
		List<Object> params = new ArrayList<>(changes.size() * 3);
		long changedAt = System.currentTimeMillis();
		for (Change change : changes) {
			sql.append((params.isEmpty()) ? "(?, ?, ?)" : ", (?, ?, ?)");
			params.add(change.accountId());
			params.add(new SqlParameterValue(Types.VARCHAR, change.tenantKey()));
			params.add(changedAt);
		}
		this.jdbcClient.sql(sql.toString()).params(params).update();
	}

	/**
	 * Reads the changes committed since the last read, and those of gaps that showed up.
	 * The first read returns the last few changes before it, so that nothing committed
	 * between the first cached read and the first read of the feed is missed.
	 * @return the changes, in order of their numbers
	 */
	synchronized List<Change> read() {
		if (this.top < 0) {
			long highest = this.jdbcClient.sql("SELECT COALESCE(MAX(seq), 0) FROM xref_account_change")
				.query(Long.class)
				.single();
			this.top = Math.max(0, highest - STARTUP_WINDOW);
		}
		long now = System.nanoTime();
		this.gaps.values().removeIf((givenUpAt) -> now - givenUpAt >= 0);
		long after = this.gaps.isEmpty() ? this.top : this.gaps.firstKey() - 1;
		List<Row> rows = this.jdbcClient.sql(SELECT_AFTER)
			.param(after)
			.query((rs, rowNum) -> new Row(rs.getLong(1), new Change(KeyColumns.read(rs, 2), KeyColumns.read(rs, 3))))
			.list();
		List<Change> changes = new ArrayList<>(rows.size());
		long givenUpAt = now + this.gapTimeout.toNanos();
		for (Row row : rows) {
			if (row.seq() > this.top) {
				for (long missing = Math.max(this.top + 1, row.seq() - MAX_GAPS); missing < row.seq(); missing++) {
					this.gaps.put(missing, givenUpAt);
				}
				this.top = row.seq();
				changes.add(row.change());
			}
			else if (this.gaps.remove(row.seq()) != null) {
				changes.add(row.change());
			}
		}
		while (this.gaps.size() > MAX_GAPS) {
			this.gaps.pollFirstEntry();
		}
		return changes;
	}

	/**
	 * Deletes the rows older than the retention; several instances may do it at once.
	 * @param retention how long rows are kept
	 * @return how many rows were deleted
	 */
	int prune(Duration retention) {
		return this.jdbcClient.sql("DELETE FROM xref_account_change WHERE changed_at < ?")
			.param(System.currentTimeMillis() - retention.toMillis())
			.update();
	}

	synchronized int pendingGaps() {
		return this.gaps.size();
	}

	void setGapTimeout(Duration gapTimeout) {
		this.gapTimeout = gapTimeout;
	}

	/**
	 * A change: the account's row, and the tenant's link if a tenant is named.
	 *
	 * @param accountId the Xref account id
	 * @param tenantKey the tenant whose link changed, if any
	 */
	record Change(String accountId, @Nullable String tenantKey) {

	}

	private record Row(long seq, Change change) {

	}

}
