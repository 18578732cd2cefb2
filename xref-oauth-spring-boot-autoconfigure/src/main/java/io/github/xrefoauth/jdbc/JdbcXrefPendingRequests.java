package io.github.xrefoauth.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.xrefoauth.connect.XrefPendingRequestRules;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The pending connects in the {@code xref_authorization_request} table, apart from any
 * web stack: the servlet {@code JdbcXrefAuthorizationRequestRepository} and the WebFlux
 * {@code JdbcServerXrefAuthorizationRequestRepository} read the state, the browser's
 * binding value and the end user's name from their requests and pass them here. It
 * applies the {@link XrefPendingRequestRules} it is given, the rules the session-backed
 * repositories apply in memory, to the rows in SQL: the time to live, the clock, and the
 * bounds per browser and per end user. The table holds only SHA-256 hashes of the binding
 * value and of the name. A state that no pending request can have (see
 * {@link XrefPendingRequestRules#isPossibleState(String)}) is not found, without a query.
 * Calls block on the database.
 *
 * @since 0.1.0
 */
public final class JdbcXrefPendingRequests {

	/**
	 * Name of the cookie that binds pending requests to the browser, on either web stack.
	 */
	public static final String DEFAULT_COOKIE_NAME = "XREF_CONNECT";

	/**
	 * Prefix of the cookie name on HTTPS: the browser then accepts the cookie only from
	 * this host, over HTTPS, for the whole site.
	 */
	public static final String SECURE_COOKIE_PREFIX = "__Host-";

	private static final String REQUEST_MATCHES = " WHERE state = ? AND binding = ? AND principal = ?";

	private final JdbcClient jdbcClient;

	private final AuthorizationRequestJson json = new AuthorizationRequestJson();

	private final BytesKeyGenerator bindingGenerator = KeyGenerators.secureRandom(32);

	private final XrefPendingRequestRules rules;

	/**
	 * Creates the table's access.
	 * @param dataSource the database that holds the {@code xref_authorization_request}
	 * table
	 * @param rules the time to live, clock and bounds to apply; later changes to them
	 * apply too
	 */
	public JdbcXrefPendingRequests(DataSource dataSource, XrefPendingRequestRules rules) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(rules, "rules cannot be null");
		this.jdbcClient = JdbcClient.create(dataSource);
		this.rules = rules;
	}

	/**
	 * Returns the name of the cookie that binds pending requests to the browser. The
	 * {@code __Host-} prefix needs HTTPS, so a connect started and completed over HTTPS
	 * uses the prefixed name, one over plain HTTP the plain name.
	 * @param cookieName the configured name
	 * @param secure whether the request came over HTTPS
	 * @return the name of the cookie for that request
	 */
	public static String bindingCookieName(String cookieName, boolean secure) {
		return secure ? SECURE_COOKIE_PREFIX + cookieName : cookieName;
	}

	/**
	 * Returns the path of the cookie that binds pending requests to the browser: on HTTPS
	 * {@code /}, as a {@code __Host-} cookie must have it (with {@code Secure} and no
	 * domain), else the application's context path.
	 * @param secure whether the request came over HTTPS
	 * @param contextPath the application's context path, empty for none
	 * @return the cookie's path
	 */
	public static String bindingCookiePath(boolean secure, String contextPath) {
		return (secure || !StringUtils.hasText(contextPath)) ? "/" : contextPath;
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
		Assert.isTrue(
				authorizationRequest.getState() != null
						&& XrefPendingRequestRules.isPossibleState(authorizationRequest.getState()),
				"authorizationRequest.state must have 1 to 255 characters and no control character");
		String bindingHash = sha256Hex(binding);
		String principalHash = sha256Hex(principal);
		long now = this.rules.now().toEpochMilli();
		this.jdbcClient.sql("DELETE FROM xref_authorization_request WHERE expires_at <= ?").param(now).update();
		this.jdbcClient
			.sql("INSERT INTO xref_authorization_request (state, binding, principal, created_at, expires_at, request)"
					+ " VALUES (?, ?, ?, ?, ?, ?)")
			.params(authorizationRequest.getState(), bindingHash, principalHash, now,
					now + this.rules.getTimeToLive().toMillis(), this.json.write(authorizationRequest))
			.update();
		dropOldest("binding", bindingHash, this.rules.getMaxPendingPerBrowser());
		dropOldest("principal", principalHash, this.rules.getMaxPendingPerEndUser());
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
			.query((resultSet, rowNumber) -> new PendingRow(resultSet.getLong(1), KeyColumns.read(resultSet, 2)))
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
		if (!XrefPendingRequestRules.isPossibleState(state)) {
			return Optional.empty();
		}
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
		if (!XrefPendingRequestRules.isPossibleState(state)) {
			return null;
		}
		Optional<String> pending = findJson(state, binding, principal);
		if (pending.isEmpty()) {
			return null;
		}
		int removed = this.jdbcClient.sql("DELETE FROM xref_authorization_request" + REQUEST_MATCHES)
			.params(state, sha256Hex(binding), sha256Hex(principal))
			.update();
		return (removed == 1) ? this.json.read(pending.get()) : null;
	}

	private Optional<String> findJson(String state, String binding, String principal) {
		return this.jdbcClient
			.sql("SELECT request FROM xref_authorization_request" + REQUEST_MATCHES + " AND expires_at > ?")
			.params(state, sha256Hex(binding), sha256Hex(principal), this.rules.now().toEpochMilli())
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
