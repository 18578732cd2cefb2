package io.github.xrefoauth.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountCounts;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link XrefAccountStore} in a relational database (H2, PostgreSQL, MariaDB or MySQL)
 * with the tables of {@code io/github/xrefoauth/jdbc/schema-<platform>.sql}.
 * <p>
 * Tokens are stored encrypted by an {@link XrefTokenCipher}, next to a keyed hash that
 * finds a token without decrypting any row. A connect writes the account row and the
 * tenant link in one transaction, each with the database's atomic upsert; a lock conflict
 * or deadlock between concurrent writes of one account is retried after a short random
 * pause. Other failures, a query timeout among them, are not retried.
 * <p>
 * {@link #replace(String, XrefConnection)} reads the account's current row and the
 * tenant's current link with locking reads ({@code SELECT ... FOR UPDATE}) inside the
 * write's transaction, never from the cache, so the connections it returns are exactly
 * the ones the write ended, whichever instance wrote them: the account's replaced token,
 * and the account the tenant left, which it deletes in the same transaction when no
 * tenant is linked to it any more. A token that the configured keys cannot decrypt is not
 * returned.
 * <p>
 * Tenant keys and Xref account ids are compared byte for byte on every database: keys
 * that differ only in a trailing space, in case or in Unicode normalization are different
 * keys (the MariaDB and MySQL schema holds them as {@code VARBINARY}).
 * <p>
 * Found connections are cached, bounded in {@link #setCacheMaximumSize(long) size} (least
 * used entries go first) and for {@link #setCacheTimeToLive(Duration) a time to live} (30
 * seconds by default). A write evicts only the tenants and the account it changes, at
 * once on this instance (inside a transaction of the caller, again once it ends). Each
 * write also adds rows to the table {@code xref_account_change} in its transaction; while
 * the store {@link #start() runs} it reads that table every
 * {@link #setChangePollInterval(Duration) poll interval} (200 ms by default) and evicts
 * the keys that other instances changed, so that their disconnects and reconnects are in
 * force here within that interval. The time to live stays as the safety net should the
 * table not be readable.
 * <p>
 * A token that Xref {@link #reject rejected} is cleared from its row, which keeps who
 * connected the account and when, the rejection and the tenant links, until a reconnect
 * or a disconnect; the finds, counts, key checks and re-encryption skip such rows.
 * {@link #status(String)} is read from the database every time, not cached.
 *
 * @since 0.1.0
 */
public final class JdbcXrefAccountStore implements XrefAccountStore, XrefAccountCounts, SmartLifecycle {

	private static final String[] ACCOUNT_COLUMNS = { "xref_account_id", "access_token", "token_hash", "connected_at",
			"connected_by", "key_id" };

	private static final String LOCK_ACCOUNT = "SELECT xref_account_id, access_token, connected_at, connected_by"
			+ " FROM xref_account WHERE xref_account_id = ? FOR UPDATE";

	private static final String LOCK_TENANT = "SELECT xref_account_id FROM xref_tenant WHERE tenant_key = ? FOR UPDATE";

	private static final String LOCK_ACCOUNT_ID = "SELECT xref_account_id FROM xref_account WHERE xref_account_id = ?"
			+ " FOR UPDATE";

	private static final String LOCK_REJECTED = "SELECT xref_account_id FROM xref_account WHERE xref_account_id = ?"
			+ " AND access_token IS NULL FOR UPDATE";

	private static final String LOCK_TOKEN = "SELECT xref_account_id FROM xref_account WHERE token_hash = ? FOR UPDATE";

	/** Locking reads, which see the latest committed links on every database. */
	private static final String LOCK_LINKS = "SELECT tenant_key FROM xref_tenant WHERE xref_account_id = ? FOR UPDATE";

	private static final String LOCK_LINK = "SELECT tenant_key FROM xref_tenant WHERE xref_account_id = ? LIMIT 1"
			+ " FOR UPDATE";

	private static final String UPDATE_ACCOUNT = "UPDATE xref_account SET access_token = ?, token_hash = ?,"
			+ " connected_at = ?, connected_by = ?, key_id = ?, rejected_at = NULL, rejected_by = NULL"
			+ " WHERE xref_account_id = ?";

	private static final String REJECT_ACCOUNT = "UPDATE xref_account SET access_token = NULL, token_hash = NULL,"
			+ " key_id = NULL, rejected_at = ?, rejected_by = ? WHERE xref_account_id = ? AND token_hash = ?";

	private static final String SELECT_ACCOUNT = "SELECT a.xref_account_id, a.access_token, a.connected_at, a.connected_by"
			+ " FROM xref_account a";

	private static final String SELECT_STATUS = "SELECT a.xref_account_id, a.token_hash, a.connected_at,"
			+ " a.connected_by, a.rejected_at, a.rejected_by FROM xref_account a"
			+ " JOIN xref_tenant t ON t.xref_account_id = a.xref_account_id WHERE t.tenant_key = ?";

	private static final String SELECT_TO_CLAIM = "SELECT xref_account_id, access_token, connected_at, connected_by"
			+ " FROM xref_account WHERE access_token IS NOT NULL AND checked_at <= ? ORDER BY checked_at LIMIT ?";

	private static final int MAX_ATTEMPTS = 5;

	private static final long MIN_BACK_OFF_MILLIS = 5;

	private static final long MAX_BACK_OFF_MILLIS = 50;

	private final JdbcClient jdbcClient;

	private final JdbcUpsertDialect dialect;

	private final TransactionTemplate transactionTemplate;

	private final TransactionTemplate claimTransaction;

	private final XrefTokenCipher tokenCipher;

	private final String insertAccount;

	private final String upsertTenant;

	private final RowMapper<XrefConnection> connectionMapper = this::mapConnection;

	private final ConnectionCache cache = new ConnectionCache();

	private final AccountChangeFeed feed;

	private final AccountChangePoller poller;

	/**
	 * Creates a store.
	 * @param dataSource the database that holds the tables
	 * @param tokenCipher encrypts the stored tokens
	 */
	public JdbcXrefAccountStore(DataSource dataSource, XrefTokenCipher tokenCipher) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tokenCipher, "tokenCipher cannot be null");
		JdbcUpsertDialect dialect = JdbcUpsertDialect.of(dataSource);
		this.jdbcClient = JdbcClient.create(dataSource);
		this.dialect = dialect;
		DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
		this.transactionTemplate = new TransactionTemplate(transactionManager);
		// Without gap locks on MariaDB and MySQL, so that concurrent claims skip only the
		// rows that the others claim.
		this.claimTransaction = new TransactionTemplate(transactionManager);
		this.claimTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		this.tokenCipher = tokenCipher;
		this.insertAccount = dialect.insertIfAbsent("xref_account", "xref_account_id", ACCOUNT_COLUMNS);
		this.upsertTenant = dialect.upsert("xref_tenant", "tenant_key", "tenant_key", "xref_account_id");
		this.feed = new AccountChangeFeed(this.jdbcClient);
		this.poller = new AccountChangePoller(this.feed, this.cache);
	}

	@Override
	public void save(String tenantKey, XrefConnection connection) {
		replace(tenantKey, connection);
	}

	@Override
	public List<XrefConnection> replace(String tenantKey, XrefConnection connection) {
		Assert.hasText(tenantKey, "tenantKey cannot be empty");
		Assert.notNull(connection, "connection cannot be null");
		String storedToken = this.tokenCipher.encrypt(connection.accessToken());
		String tokenHash = this.tokenCipher.hash(connection.accessToken());
		return write((changes) -> {
			List<XrefConnection> connections = new ArrayList<>(2);
			writeAccount(connection, storedToken, tokenHash).ifPresent(connections::add);
			Optional<String> leftAccount = this.jdbcClient.sql(LOCK_TENANT)
				.param(tenantKey)
				.query((rs, rowNum) -> KeyColumns.read(rs, 1))
				.optional()
				.filter((accountId) -> !accountId.equals(connection.xrefAccountId()));
			this.jdbcClient.sql(this.upsertTenant).params(tenantKey, connection.xrefAccountId()).update();
			changes.add(new AccountChangeFeed.Change(connection.xrefAccountId(), tenantKey));
			leftAccount.flatMap((left) -> deleteIfUnlinked(left, changes)).ifPresent(connections::add);
			return List.copyOf(connections);
		}, List.of());
	}

	/**
	 * Deletes an account that a tenant left, under a lock of its row, if no tenant is
	 * linked to it any more.
	 * @return the deleted connection, if its token can be decrypted
	 */
	private Optional<XrefConnection> deleteIfUnlinked(String accountId, List<AccountChangeFeed.Change> changes) {
		Optional<LockedRow> left = this.jdbcClient.sql(LOCK_ACCOUNT)
			.param(accountId)
			.query(this::mapLockedRow)
			.optional();
		boolean linked = this.jdbcClient.sql(LOCK_LINK)
			.param(accountId)
			.query((rs, rowNum) -> 1)
			.optional()
			.isPresent();
		if (left.isEmpty() || linked) {
			return Optional.empty();
		}
		this.jdbcClient.sql("DELETE FROM xref_account WHERE xref_account_id = ?").param(accountId).update();
		changes.add(new AccountChangeFeed.Change(accountId, null));
		return Optional.ofNullable(left.get().connection());
	}

	/**
	 * Locks the account's row and updates it, or inserts it if there is none; a row that
	 * a concurrent write inserted in between is locked and updated on the next round.
	 * @return the connection the row held before, if any
	 */
	private Optional<XrefConnection> writeAccount(XrefConnection connection, String storedToken, String tokenHash) {
		String accountId = connection.xrefAccountId();
		long connectedAt = connection.connectedAt().toEpochMilli();
		String keyId = XrefTokenCipher.keyIdOf(storedToken);
		for (int round = 1; round <= MAX_ATTEMPTS; round++) {
			Optional<LockedRow> current = this.jdbcClient.sql(LOCK_ACCOUNT)
				.param(accountId)
				.query(this::mapLockedRow)
				.optional();
			if (current.isPresent()) {
				this.jdbcClient.sql(UPDATE_ACCOUNT)
					.params(storedToken, tokenHash, connectedAt, connection.connectedBy(), keyId, accountId)
					.update();
				return Optional.ofNullable(current.get().connection());
			}
			if (insertAccount(accountId, storedToken, tokenHash, connectedAt, connection.connectedBy(), keyId)) {
				return Optional.empty();
			}
		}
		throw new ConcurrencyFailureException("Xref account row kept changing while it was written");
	}

	private boolean insertAccount(Object... values) {
		try {
			return this.jdbcClient.sql(this.insertAccount).params(values).update() > 0;
		}
		catch (DuplicateKeyException ex) {
			// Only where a failed statement leaves the transaction usable: the
			// PostgreSQL statement skips a duplicate instead of failing.
			if (this.dialect.abortsTransactionOnError()) {
				throw ex;
			}
			return false;
		}
	}

	/**
	 * Maps the locked row; a token the keys cannot decrypt is not reported as replaced.
	 */
	private LockedRow mapLockedRow(ResultSet rs, int rowNum) throws SQLException {
		if (rs.getString("access_token") == null) {
			// Rejected: its token is gone already.
			return new LockedRow(null);
		}
		try {
			return new LockedRow(mapConnection(rs, rowNum));
		}
		catch (XrefTokenKeyException ex) {
			return new LockedRow(null);
		}
	}

	@Override
	public Optional<XrefConnection> findByTenant(String tenantKey) {
		return this.cache.getByTenant(tenantKey,
				() -> this.jdbcClient
					.sql(SELECT_ACCOUNT + " JOIN xref_tenant t ON t.xref_account_id = a.xref_account_id"
							+ " WHERE t.tenant_key = ? AND a.access_token IS NOT NULL")
					.param(tenantKey)
					.query(this.connectionMapper)
					.optional());
	}

	@Override
	public Optional<XrefConnection> findByAccount(String xrefAccountId) {
		return this.cache.getByAccount(xrefAccountId,
				() -> this.jdbcClient
					.sql(SELECT_ACCOUNT + " WHERE a.xref_account_id = ? AND a.access_token IS NOT NULL")
					.param(xrefAccountId)
					.query(this.connectionMapper)
					.optional());
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * An account that needs a reconnect is removed too, and counts as deleted.
	 */
	@Override
	public boolean deleteAccount(String xrefAccountId) {
		return delete(LOCK_ACCOUNT_ID, "DELETE FROM xref_account WHERE xref_account_id = ?", xrefAccountId);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Locks the account's row only while it holds no token, and deletes it with its
	 * tenant links in one transaction that also adds them to the change feed.
	 */
	@Override
	public boolean deleteRejected(String xrefAccountId) {
		Assert.hasText(xrefAccountId, "xrefAccountId cannot be empty");
		return delete(LOCK_REJECTED, "DELETE FROM xref_account WHERE xref_account_id = ? AND access_token IS NULL",
				xrefAccountId);
	}

	/**
	 * Deletes the account that holds the token. Whether or not one was deleted, no
	 * connection found afterwards on this instance holds the token.
	 */
	@Override
	public boolean deleteByAccessToken(String accessToken) {
		String tokenHash = this.tokenCipher.hash(accessToken);
		boolean deleted = delete(LOCK_TOKEN, "DELETE FROM xref_account WHERE token_hash = ?", tokenHash);
		if (!deleted) {
			// Another instance replaced the token: the cache may still hold it.
			this.cache.evictToken(accessToken);
		}
		return deleted;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Locks the account's row by the token's hash, clears the token, its hash and key id
	 * and records the rejection, in one transaction that also adds the account and each
	 * linked tenant to the change feed, so that other instances stop using the cached
	 * token once they have read it. Whether or not the token was rejected, no connection
	 * found afterwards on this instance holds it.
	 */
	@Override
	public boolean reject(XrefConnection connection, Instant rejectedAt, XrefConnectionStatus.RejectedBy rejectedBy) {
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(rejectedAt, "rejectedAt cannot be null");
		Assert.notNull(rejectedBy, "rejectedBy cannot be null");
		String accountId = connection.xrefAccountId();
		String tokenHash = this.tokenCipher.hash(connection.accessToken());
		boolean rejected = write((changes) -> {
			List<String> locked = this.jdbcClient.sql(LOCK_TOKEN)
				.param(tokenHash)
				.query((rs, rowNum) -> KeyColumns.read(rs, 1))
				.list();
			if (!locked.contains(accountId)) {
				return false;
			}
			lockLinks(List.of(accountId), changes);
			return this.jdbcClient.sql(REJECT_ACCOUNT)
				.params(rejectedAt.toEpochMilli(), rejectedBy.name(), accountId, tokenHash)
				.update() > 0;
		}, false);
		if (!rejected) {
			this.cache.evictToken(connection.accessToken());
		}
		return rejected;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Reads the tenant's link and its account in one query, never from the cache.
	 */
	@Override
	public XrefConnectionStatus status(String tenantKey) {
		return this.jdbcClient.sql(SELECT_STATUS)
			.param(tenantKey)
			.query(JdbcXrefAccountStore::mapStatus)
			.optional()
			.orElseGet(XrefConnectionStatus::notConnected);
	}

	private static XrefConnectionStatus mapStatus(ResultSet rs, int rowNum) throws SQLException {
		String accountId = KeyColumns.read(rs, "xref_account_id");
		Instant connectedAt = Instant.ofEpochMilli(rs.getLong("connected_at"));
		String connectedBy = rs.getString("connected_by");
		if (rs.getString("token_hash") != null) {
			return new XrefConnectionStatus(XrefConnectionStatus.State.CONNECTED, accountId, connectedAt, connectedBy,
					null, null);
		}
		long rejectedAt = rs.getLong("rejected_at");
		boolean rejected = !rs.wasNull();
		String rejectedBy = rs.getString("rejected_by");
		if (!rejected || rejectedBy == null) {
			// Not written by this store: a row without token is never connected.
			return XrefConnectionStatus.notConnected();
		}
		return XrefConnectionStatus.reconnectNeeded(accountId, connectedAt, connectedBy,
				Instant.ofEpochMilli(rejectedAt), XrefConnectionStatus.RejectedBy.valueOf(rejectedBy));
	}

	@Override
	public List<String> findTenants(String xrefAccountId) {
		return this.jdbcClient.sql("SELECT tenant_key FROM xref_tenant WHERE xref_account_id = ?")
			.param(xrefAccountId)
			.query((rs, rowNum) -> KeyColumns.read(rs, 1))
			.list();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * One transaction (read committed): a locking read of the rows with a token whose
	 * {@code checked_at} is at most {@code now} minus the interval, oldest first, that
	 * skips rows locked by another claim ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL,
	 * MariaDB 10.6+, MySQL 8 and H2), then an update of their {@code checked_at} to
	 * {@code now}. A row locked by a connect or a rejection at that moment is skipped and
	 * claimed by a later round. A claimed row whose key is not configured is marked
	 * claimed but not returned.
	 */
	@Override
	public List<XrefConnection> claimForCheck(Instant now, Duration interval, int limit) {
		Assert.notNull(now, "now cannot be null");
		Assert.isTrue(interval != null && !interval.isNegative(), "interval cannot be null or negative");
		Assert.isTrue(limit > 0, "limit must be positive");
		long claimedAt = now.toEpochMilli();
		long lastClaimedBefore = now.minus(interval).toEpochMilli();
		List<@Nullable XrefConnection> claimed = retryOnConflict(() -> this.claimTransaction.execute((status) -> {
			List<ClaimedRow> rows = this.jdbcClient.sql(SELECT_TO_CLAIM + this.dialect.skipLocked())
				.params(lastClaimedBefore, limit)
				.query(this::mapClaimedRow)
				.list();
			if (rows.isEmpty()) {
				return List.of();
			}
			StringBuilder sql = new StringBuilder("UPDATE xref_account SET checked_at = ? WHERE xref_account_id IN (");
			List<Object> params = new ArrayList<>(rows.size() + 1);
			params.add(claimedAt);
			for (ClaimedRow row : rows) {
				sql.append((params.size() == 1) ? "?" : ", ?");
				params.add(row.accountId());
			}
			this.jdbcClient.sql(sql.append(")").toString()).params(params).update();
			return rows.stream().map(ClaimedRow::connection).toList();
		}));
		return (claimed != null) ? claimed.stream().filter(Objects::nonNull).toList() : List.of();
	}

	private ClaimedRow mapClaimedRow(ResultSet rs, int rowNum) throws SQLException {
		String accountId = KeyColumns.read(rs, "xref_account_id");
		try {
			return new ClaimedRow(accountId, mapConnection(rs, rowNum));
		}
		catch (XrefTokenKeyException ex) {
			return new ClaimedRow(accountId, null);
		}
	}

	/**
	 * Locks the account rows that a query finds by one parameter and deletes them, with
	 * their tenant links, in one transaction that adds them to the change feed.
	 * @return whether there was a row to delete
	 */
	private boolean delete(String lock, String delete, String parameter) {
		return write((changes) -> {
			List<String> locked = this.jdbcClient.sql(lock)
				.param(parameter)
				.query((rs, rowNum) -> KeyColumns.read(rs, 1))
				.list();
			if (locked.isEmpty()) {
				return false;
			}
			lockLinks(locked, changes);
			this.jdbcClient.sql(delete).param(parameter).update();
			return true;
		}, false);
	}

	/**
	 * Locks the tenant links of accounts about to change (a deleted account's links go
	 * with it: ON DELETE CASCADE) and names each account and tenant as changed.
	 */
	private void lockLinks(List<String> accountIds, List<AccountChangeFeed.Change> changes) {
		for (String accountId : accountIds) {
			List<String> tenants = this.jdbcClient.sql(LOCK_LINKS)
				.param(accountId)
				.query((rs, rowNum) -> KeyColumns.read(rs, 1))
				.list();
			if (tenants.isEmpty()) {
				changes.add(new AccountChangeFeed.Change(accountId, null));
			}
			tenants.forEach((tenant) -> changes.add(new AccountChangeFeed.Change(accountId, tenant)));
		}
	}

	@Override
	public long countAccounts() {
		return this.jdbcClient.sql("SELECT COUNT(*) FROM xref_account WHERE access_token IS NOT NULL")
			.query(Long.class)
			.single();
	}

	@Override
	public long countTenants() {
		return this.jdbcClient
			.sql("SELECT COUNT(*) FROM xref_tenant t JOIN xref_account a ON a.xref_account_id = t.xref_account_id"
					+ " WHERE a.access_token IS NOT NULL")
			.query(Long.class)
			.single();
	}

	@Override
	public long countAccountsToReconnect() {
		return this.jdbcClient.sql("SELECT COUNT(*) FROM xref_account WHERE access_token IS NULL")
			.query(Long.class)
			.single();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Counts with {@code COUNT(*)} over the index of {@code checked_at}; rows without a
	 * token are not counted.
	 */
	@Override
	public long countClaimedForCheckAfter(Instant after) {
		Assert.notNull(after, "after cannot be null");
		return this.jdbcClient
			.sql("SELECT COUNT(*) FROM xref_account WHERE checked_at > ? AND access_token IS NOT NULL")
			.param(after.toEpochMilli())
			.query(Long.class)
			.single();
	}

	/**
	 * Rewrites every stored token that the current key did not encrypt, and refreshes
	 * every token hash. Run it after changing the current key or the hash key; keep the
	 * old key configured until it has run on one instance.
	 * @return how many rows were rewritten
	 */
	public int reencryptAll() {
		List<StoredToken> tokens = this.jdbcClient
			.sql("SELECT xref_account_id, access_token, token_hash FROM xref_account WHERE access_token IS NOT NULL")
			.query((rs, rowNum) -> new StoredToken(KeyColumns.read(rs, 1), rs.getString(2), rs.getString(3)))
			.list();
		int rewritten = 0;
		for (StoredToken stored : tokens) {
			String token = this.tokenCipher.decrypt(stored.value());
			String hash = this.tokenCipher.hash(token);
			if (this.tokenCipher.isCurrent(stored.value()) && hash.equals(stored.hash())) {
				continue;
			}
			// Only the value that was read is replaced: a concurrent reconnect wins. The
			// token stays the same, so cached connections stay true.
			String reencrypted = this.tokenCipher.encrypt(token);
			rewritten += retryOnConflict(() -> this.jdbcClient
				.sql("UPDATE xref_account SET access_token = ?, token_hash = ?, key_id = ? WHERE xref_account_id = ?"
						+ " AND access_token = ?")
				.params(reencrypted, hash, XrefTokenCipher.keyIdOf(reencrypted), stored.accountId(), stored.value())
				.update());
		}
		return rewritten;
	}

	/**
	 * Checks that the configured keys decrypt the stored tokens: finds each key id that a
	 * stored token names, and decrypts one token of each. It reads the index on
	 * {@code key_id} one entry per key id, so its cost hardly grows with the number of
	 * rows. The auto-configuration runs it at start-up.
	 * @return the key ids of the stored tokens, in order
	 * @throws XrefTokenKeyException if a key is not configured or does not decrypt its
	 * sample token
	 */
	public List<String> checkStoredKeys() {
		List<String> keyIds = this.dialect.readsDistinctValuesFromTheIndex() ? this.jdbcClient
			.sql("SELECT DISTINCT key_id FROM xref_account WHERE key_id IS NOT NULL ORDER BY key_id")
			.query(String.class)
			.list() : keyIdsByIndexSkipScan();
		for (String keyId : keyIds) {
			this.jdbcClient.sql("SELECT xref_account_id, access_token FROM xref_account WHERE key_id = ? LIMIT 1")
				.param(keyId)
				.query((rs, rowNum) -> decrypt(KeyColumns.read(rs, 1), rs.getString(2)))
				.optional();
		}
		return List.copyOf(keyIds);
	}

	/**
	 * Finds the key ids one index look-up each: on PostgreSQL, {@code SELECT DISTINCT}
	 * would read every entry of the index.
	 */
	private List<String> keyIdsByIndexSkipScan() {
		List<String> keyIds = new ArrayList<>();
		String previous = "";
		for (;;) {
			Optional<String> next = this.jdbcClient
				.sql("SELECT key_id FROM xref_account WHERE key_id > ? ORDER BY key_id LIMIT 1")
				.param(previous)
				.query(String.class)
				.optional();
			if (next.isEmpty()) {
				return keyIds;
			}
			previous = next.get();
			keyIds.add(previous);
		}
	}

	/**
	 * Sets how long a found connection is reused at most without reading the database;
	 * while the store runs, changes made by other instances evict it sooner. Zero turns
	 * the cache off. Defaults to 30 seconds.
	 * @param cacheTimeToLive the time to live, zero or positive
	 */
	public void setCacheTimeToLive(Duration cacheTimeToLive) {
		Assert.isTrue(cacheTimeToLive != null && !cacheTimeToLive.isNegative(),
				"cacheTimeToLive cannot be null or negative");
		this.cache.setTimeToLive(cacheTimeToLive);
	}

	/**
	 * Sets how many tenants, and how many accounts, the cache holds at most; beyond that
	 * the least used entries are evicted. Defaults to 100,000.
	 * @param cacheMaximumSize the maximum number of entries of each, positive
	 */
	public void setCacheMaximumSize(long cacheMaximumSize) {
		Assert.isTrue(cacheMaximumSize > 0, "cacheMaximumSize must be positive");
		this.cache.setMaximumSize(cacheMaximumSize);
	}

	/**
	 * Sets how often the running store reads the changes that other instances made.
	 * Defaults to 200 milliseconds. Takes effect at the next {@link #start()}.
	 * @param changePollInterval the interval, positive
	 */
	public void setChangePollInterval(Duration changePollInterval) {
		Assert.isTrue(changePollInterval != null && !changePollInterval.isNegative() && !changePollInterval.isZero(),
				"changePollInterval must be positive");
		this.poller.setInterval(changePollInterval);
	}

	/**
	 * Sets the clock that expires cached connections.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.cache.setClock(clock);
	}

	/**
	 * Starts reading the changes that other instances make, on a daemon thread of its
	 * own, unless the cache is off.
	 */
	@Override
	public void start() {
		if (this.cache.isEnabled()) {
			this.poller.start();
		}
	}

	/**
	 * Stops reading the changes of other instances; cached connections then last their
	 * time to live.
	 */
	@Override
	public void stop() {
		this.poller.stop();
	}

	@Override
	public boolean isRunning() {
		return this.poller.isRunning();
	}

	/**
	 * Returns 0, so that the store reads changes before the web server starts and until
	 * it has stopped.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

	/**
	 * Reads the changes of other instances once, as the running store does at each
	 * interval.
	 */
	void pollChanges() {
		this.poller.poll();
	}

	AccountChangeFeed changeFeed() {
		return this.feed;
	}

	ConnectionCache cache() {
		return this.cache;
	}

	/**
	 * Runs the statements in a transaction, retried on a lock conflict; they add what
	 * they change to the list, which goes to the change feed in the same transaction and
	 * is evicted from this instance's cache afterwards.
	 */
	private <T> T write(Function<List<AccountChangeFeed.Change>, T> statements, T noResult) {
		List<AccountChangeFeed.Change> changes = new ArrayList<>(2);
		try {
			T result = retryOnConflict(() -> this.transactionTemplate.execute((status) -> {
				changes.clear();
				T written = statements.apply(changes);
				this.feed.record(changes);
				return written;
			}));
			return (result != null) ? result : noResult;
		}
		finally {
			// Also after a failed commit, which may have committed.
			evict(List.copyOf(changes));
		}
	}

	private void evict(List<AccountChangeFeed.Change> changes) {
		if (changes.isEmpty()) {
			return;
		}
		evictNow(changes);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			// Until the caller's transaction ends, other threads still read the old rows
			// and may cache them; a rollback leaves what this thread read stale.
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					evictNow(changes);
				}

			});
		}
	}

	private void evictNow(List<AccountChangeFeed.Change> changes) {
		for (AccountChangeFeed.Change change : changes) {
			this.cache.evictAccount(change.accountId());
			if (change.tenantKey() != null) {
				this.cache.evictTenant(change.tenantKey());
			}
		}
	}

	private <T> T retryOnConflict(Supplier<T> statement) {
		for (int attempt = 1;; attempt++) {
			try {
				return statement.get();
			}
			catch (ConcurrencyFailureException | DuplicateKeyException ex) {
				// Within the caller's transaction a retry cannot undo what failed.
				if (attempt == MAX_ATTEMPTS || TransactionSynchronizationManager.isActualTransactionActive()) {
					throw ex;
				}
				backOff(ex);
			}
		}
	}

	private static void backOff(RuntimeException conflict) {
		try {
			// Jitter keeps the writers that collided from colliding again.
			Thread.sleep(ThreadLocalRandom.current().nextLong(MIN_BACK_OFF_MILLIS, MAX_BACK_OFF_MILLIS + 1));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw conflict;
		}
	}

	private XrefConnection mapConnection(ResultSet rs, int rowNum) throws SQLException {
		String accountId = KeyColumns.read(rs, "xref_account_id");
		return new XrefConnection(accountId, decrypt(accountId, rs.getString("access_token")),
				Instant.ofEpochMilli(rs.getLong("connected_at")), rs.getString("connected_by"));
	}

	private String decrypt(String accountId, String storedToken) {
		try {
			return this.tokenCipher.decrypt(storedToken);
		}
		catch (XrefTokenKeyException ex) {
			throw ex.forAccount(accountId);
		}
	}

	private record LockedRow(@Nullable XrefConnection connection) {

	}

	private record ClaimedRow(String accountId, @Nullable XrefConnection connection) {

	}

	private record StoredToken(String accountId, String value, String hash) {

	}

}
