package io.github.xrefoauth.authorize.jdbc;

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
 * {@link JdbcXrefAuthorizationRequestRepository} and its reactive counterpart read the
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
	 * Removes expired requests and stores a new one.
	 * @param authorizationRequest the request, with a state
	 * @param binding the browser's binding value
	 * @param principal the end user's name, empty for none
	 */
	public void save(OAuth2AuthorizationRequest authorizationRequest, String binding, String principal) {
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		long now = this.clock.millis();
		this.jdbcClient.sql("DELETE FROM xref_authorization_request WHERE expires_at <= ?").param(now).update();
		this.jdbcClient
			.sql("INSERT INTO xref_authorization_request (state, binding, principal, created_at, expires_at, request)"
					+ " VALUES (?, ?, ?, ?, ?, ?)")
			.params(authorizationRequest.getState(), sha256Hex(binding), sha256Hex(principal), now,
					now + this.timeToLive.toMillis(), this.json.write(authorizationRequest))
			.update();
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

}
