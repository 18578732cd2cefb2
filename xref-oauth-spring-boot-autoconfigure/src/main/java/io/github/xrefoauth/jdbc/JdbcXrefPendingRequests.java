package io.github.xrefoauth.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;

/**
 * The rows of {@code xref_authorization_request}, apart from any web stack: the servlet
 * {@code JdbcXrefAuthorizationRequestRepository} and its reactive counterpart read the
 * state, the browser's binding value and the end user's name from their requests and pass
 * them here. The table holds only SHA-256 hashes of the binding value and of the name.
 * Calls block on the database.
 */
public final class JdbcXrefPendingRequests {

	private static final String REQUEST_MATCHES = " WHERE state = ? AND binding = ? AND principal = ?";

	private final JdbcClient jdbcClient;

	private final AuthorizationRequestJson json = new AuthorizationRequestJson();

	private final BytesKeyGenerator bindingGenerator = KeyGenerators.secureRandom(32);

	private Duration timeToLive = Duration.ofMinutes(10);

	private Clock clock = Clock.systemUTC();

	private int maxPendingPerBrowser = 10;

	private int maxPendingPerEndUser = 20;

	/**
	 * Creates the table's access.
	 * @param dataSource the database that holds the {@code xref_authorization_request}
	 * table
	 */
	public JdbcXrefPendingRequests(DataSource dataSource) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		this.jdbcClient = JdbcClient.create(dataSource);
	}

	/**
	 * Returns a new random value that binds pending requests to a browser.
	 * @return a URL-safe Base64 value of 32 random bytes
	 */
	public String newBinding() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(this.bindingGenerator.generateKey());
	}

	/**
	 * Removes expired requests, stores a new one, and drops the oldest of the browser's
	 * and of the end user's pending requests beyond their bounds.
	 * @param authorizationRequest the request, with a state
	 * @param binding the browser's binding value
	 * @param principal the end user's name, empty for none
	 */
	public void save(OAuth2AuthorizationRequest authorizationRequest, String binding, String principal) {
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		String bindingHash = sha256Hex(binding);
		String principalHash = sha256Hex(principal);
		long now = this.clock.millis();
		this.jdbcClient.sql("DELETE FROM xref_authorization_request WHERE expires_at <= ?").param(now).update();
		this.jdbcClient
			.sql("INSERT INTO xref_authorization_request (state, binding, principal, created_at, expires_at, request)"
					+ " VALUES (?, ?, ?, ?, ?, ?)")
			.params(authorizationRequest.getState(), bindingHash, principalHash, now, now + this.timeToLive.toMillis(),
					this.json.write(authorizationRequest))
			.update();
		dropOldest("binding", bindingHash, this.maxPendingPerBrowser);
		dropOldest("principal", principalHash, this.maxPendingPerEndUser);
	}

	/**
	 * Deletes the rows of one browser or end user beyond the newest {@code max}. The
	 * newest {@code max} rows survive concurrent saves on other instances: each save
	 * trims after its own insert, and a trim only deletes rows older than the ones it
	 * keeps. Portable SQL: {@code LIMIT ... OFFSET} finds the newest row to drop.
	 */
	private void dropOldest(String column, String hash, int max) {
		Optional<PendingRow> firstDropped = this.jdbcClient
			.sql("SELECT created_at, state FROM xref_authorization_request WHERE " + column + " = ?"
					+ " ORDER BY created_at DESC, state DESC LIMIT 1 OFFSET " + max)
			.param(hash)
			.query((resultSet, rowNumber) -> new PendingRow(resultSet.getLong(1), resultSet.getString(2)))
			.optional();
		firstDropped.ifPresent((row) -> this.jdbcClient
			.sql("DELETE FROM xref_authorization_request WHERE " + column + " = ?"
					+ " AND (created_at < ? OR (created_at = ? AND state <= ?))")
			.params(hash, row.createdAt(), row.createdAt(), row.state())
			.update());
	}

	/**
	 * Finds an unexpired request.
	 * @param state the state
	 * @param binding the browser's binding value
	 * @param principal the end user's name, empty for none
	 * @return the request, or empty
	 */
	public Optional<OAuth2AuthorizationRequest> find(String state, String binding, String principal) {
		return findJson(state, binding, principal).map(this.json::read);
	}

	/**
	 * Removes an unexpired request. Of concurrent calls with one state, only the one
	 * whose {@code DELETE} removed the row gets it.
	 * @param state the state
	 * @param binding the browser's binding value
	 * @param principal the end user's name, empty for none
	 * @return the removed request, or {@code null}
	 */
	public @Nullable OAuth2AuthorizationRequest remove(String state, String binding, String principal) {
		Optional<String> pending = findJson(state, binding, principal);
		if (pending.isEmpty()) {
			return null;
		}
		int removed = this.jdbcClient.sql("DELETE FROM xref_authorization_request" + REQUEST_MATCHES)
			.params(state, sha256Hex(binding), sha256Hex(principal))
			.update();
		return (removed == 1) ? this.json.read(pending.get()) : null;
	}

	/**
	 * Returns how long a connect may take from the redirect to Xref to the callback.
	 * @return the time to live of a pending request
	 */
	public Duration getTimeToLive() {
		return this.timeToLive;
	}

	/**
	 * Sets how long a connect may take from the redirect to Xref to the callback.
	 * Defaults to 10 minutes.
	 * @param timeToLive the time to live of a pending request
	 */
	public void setTimeToLive(Duration timeToLive) {
		Assert.isTrue(timeToLive != null && !timeToLive.isNegative() && !timeToLive.isZero(),
				"timeToLive must be positive");
		this.timeToLive = timeToLive;
	}

	/**
	 * Sets how many connects one browser may have pending; beyond that the oldest are
	 * dropped. Defaults to 10.
	 * @param maxPendingPerBrowser the maximum number of pending requests per browser
	 */
	public void setMaxPendingPerBrowser(int maxPendingPerBrowser) {
		Assert.isTrue(maxPendingPerBrowser > 0, "maxPendingPerBrowser must be positive");
		this.maxPendingPerBrowser = maxPendingPerBrowser;
	}

	/**
	 * Sets how many connects one end user may have pending, over all browsers; beyond
	 * that the oldest are dropped. Defaults to 20.
	 * @param maxPendingPerEndUser the maximum number of pending requests per end user
	 */
	public void setMaxPendingPerEndUser(int maxPendingPerEndUser) {
		Assert.isTrue(maxPendingPerEndUser > 0, "maxPendingPerEndUser must be positive");
		this.maxPendingPerEndUser = maxPendingPerEndUser;
	}

	/**
	 * Sets the clock that decides expiry. Instances sharing the table need clocks that
	 * agree to well within the time to live.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	private Optional<String> findJson(String state, String binding, String principal) {
		return this.jdbcClient
			.sql("SELECT request FROM xref_authorization_request" + REQUEST_MATCHES + " AND expires_at > ?")
			.params(state, sha256Hex(binding), sha256Hex(principal), this.clock.millis())
			.query(String.class)
			.optional();
	}

	private static String sha256Hex(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private record PendingRow(long createdAt, String state) {

	}

}
