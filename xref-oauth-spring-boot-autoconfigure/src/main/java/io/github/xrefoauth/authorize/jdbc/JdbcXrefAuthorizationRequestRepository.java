package io.github.xrefoauth.authorize.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.xrefoauth.authorize.XrefAuthorizationRequestRepository;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.WebUtils;

/**
 * {@link XrefAuthorizationRequestRepository} in the {@code xref_authorization_request}
 * table, so that a connect started on one instance completes on any other, without sticky
 * sessions and without a shared HTTP session.
 * <p>
 * Each pending request is keyed by its {@code state} and bound twice: to the browser, by
 * a random value in an HTTP-only cookie ({@value #DEFAULT_COOKIE_NAME}, or
 * {@code __Host-}{@value #DEFAULT_COOKIE_NAME} on HTTPS; {@code SameSite=Lax} so that
 * Xref's redirect back carries it), and to the signed-in end user. The table holds only
 * SHA-256 hashes of the cookie value and of the end user's name; a callback must match
 * both. Every tab of one browser shares the cookie and keeps its own state. A request
 * expires after {@link #setTimeToLive(Duration) 10 minutes} and is removed by one
 * {@code DELETE} whose update count decides the single callback that may use it.
 * <p>
 * The table stays small without a scheduled job: every save deletes the expired rows of
 * all browsers, and keeps only the newest {@link #setMaxPendingPerBrowser(int) 10}
 * pending requests of the browser and the newest {@link #setMaxPendingPerEndUser(int) 20}
 * of the end user, dropping the oldest. A client that discards the cookie on every
 * connect is still held by the bound per end user.
 */
public final class JdbcXrefAuthorizationRequestRepository implements XrefAuthorizationRequestRepository {

	/** Name of the cookie that binds pending requests to the browser. */
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

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private Duration timeToLive = Duration.ofMinutes(10);

	private Clock clock = Clock.systemUTC();

	private String cookieName = DEFAULT_COOKIE_NAME;

	private int maxPendingPerBrowser = 10;

	private int maxPendingPerEndUser = 20;

	/**
	 * Creates a repository.
	 * @param dataSource the database that holds the {@code xref_authorization_request}
	 * table
	 */
	public JdbcXrefAuthorizationRequestRepository(DataSource dataSource) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		this.jdbcClient = JdbcClient.create(dataSource);
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
		return find(request).map(this.json::read).orElse(null);
	}

	@Override
	public void saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			HttpServletRequest request, HttpServletResponse response) {
		if (authorizationRequest == null) {
			removeAuthorizationRequest(request, response);
			return;
		}
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		String binding = bindingCookieValue(request);
		boolean newBrowser = (binding == null);
		if (binding == null) {
			binding = Base64.getUrlEncoder().withoutPadding().encodeToString(this.bindingGenerator.generateKey());
		}
		String bindingHash = sha256Hex(binding);
		String principalHash = sha256Hex(principalName(request));
		long now = this.clock.millis();
		this.jdbcClient.sql("DELETE FROM xref_authorization_request WHERE expires_at <= ?").param(now).update();
		this.jdbcClient
			.sql("INSERT INTO xref_authorization_request (state, binding, principal, created_at, expires_at, request)"
					+ " VALUES (?, ?, ?, ?, ?, ?)")
			.params(authorizationRequest.getState(), bindingHash, principalHash, now, now + this.timeToLive.toMillis(),
					this.json.write(authorizationRequest))
			.update();
		if (!newBrowser) {
			dropOldest("binding", bindingHash, this.maxPendingPerBrowser);
		}
		dropOldest("principal", principalHash, this.maxPendingPerEndUser);
		response.addCookie(bindingCookie(binding, request));
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
			HttpServletResponse response) {
		Optional<String> pending = find(request);
		if (pending.isEmpty()) {
			return null;
		}
		int removed = this.jdbcClient.sql("DELETE FROM xref_authorization_request" + REQUEST_MATCHES)
			.params(request.getParameter(OAuth2ParameterNames.STATE), sha256Hex(bindingCookieValue(request)),
					sha256Hex(principalName(request)))
			.update();
		// Of concurrent callbacks with one state, only the one that deleted the row wins.
		return (removed == 1) ? this.json.read(pending.get()) : null;
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

	/**
	 * Sets the name of the cookie that binds pending requests to the browser. Defaults to
	 * {@value #DEFAULT_COOKIE_NAME}; on HTTPS the name is prefixed with
	 * {@value #SECURE_COOKIE_PREFIX}.
	 * @param cookieName the cookie name
	 */
	public void setCookieName(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} that gives the signed-in end user
	 * when the request carries no principal. Defaults to
	 * {@link SecurityContextHolder#getContextHolderStrategy()}.
	 * @param securityContextHolderStrategy the strategy to use
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
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

	private Optional<String> find(HttpServletRequest request) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		String binding = bindingCookieValue(request);
		if (state == null || binding == null) {
			return Optional.empty();
		}
		return this.jdbcClient
			.sql("SELECT request FROM xref_authorization_request" + REQUEST_MATCHES + " AND expires_at > ?")
			.params(state, sha256Hex(binding), sha256Hex(principalName(request)), this.clock.millis())
			.query(String.class)
			.optional();
	}

	/**
	 * Returns the name of the signed-in end user, or an empty string for none. The
	 * redirect filter and the callback both run after authentication, so the request or
	 * the security context knows the end user.
	 */
	private String principalName(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal != null) {
			return principal.getName();
		}
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		return (authentication != null) ? authentication.getName() : "";
	}

	/**
	 * Returns the name of the cookie for this request. The {@code __Host-} prefix needs
	 * HTTPS, so a connect started and completed over HTTPS uses the prefixed name, one
	 * over plain HTTP the plain name.
	 */
	private String cookieName(HttpServletRequest request) {
		return request.isSecure() ? SECURE_COOKIE_PREFIX + this.cookieName : this.cookieName;
	}

	private @Nullable String bindingCookieValue(HttpServletRequest request) {
		Cookie cookie = WebUtils.getCookie(request, cookieName(request));
		return (cookie != null && StringUtils.hasText(cookie.getValue())) ? cookie.getValue() : null;
	}

	private Cookie bindingCookie(String binding, HttpServletRequest request) {
		Cookie cookie = new Cookie(cookieName(request), binding);
		if (request.isSecure()) {
			// __Host- cookies must have Path=/, Secure and no Domain.
			cookie.setPath("/");
			cookie.setSecure(true);
		}
		else {
			cookie.setPath(StringUtils.hasText(request.getContextPath()) ? request.getContextPath() : "/");
		}
		cookie.setHttpOnly(true);
		cookie.setMaxAge((int) this.timeToLive.toSeconds());
		cookie.setAttribute("SameSite", "Lax");
		return cookie;
	}

	private static String sha256Hex(@Nullable String value) {
		Assert.state(value != null, "value cannot be null");
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
