package io.github.xrefoauth.connect;

import java.net.URI;
import java.util.List;

import io.github.xrefoauth.account.XrefConnectionStatus;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import io.github.xrefoauth.account.XrefReconnectNeededException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;

/**
 * What a request gets when it failed because the end user's tenant has no Xref
 * connection, or because Xref limited the rate of calls, the same on the servlet and the
 * WebFlux stack; the stacks' not-connected handlers only read the request and write this
 * answer.
 * <ul>
 * <li>A browser ({@link #isBrowser}) is redirected to {@value #CONNECT_PATH} when the end
 * user may open it, and when the end user is anonymous (the application's rules then ask
 * them to log in first). An authenticated end user who may not connect gets the stack's
 * {@code 409} error page.</li>
 * <li>Any other client gets {@code 409 Conflict} with an RFC 9457 problem detail whose
 * {@code connectUri} member names the connect path, a path without host, when the end
 * user may open it. Its {@code reason} member is {@value #NOT_CONNECTED}, or
 * {@value #RECONNECT_NEEDED} when Xref rejected the token of the tenant's account (an
 * {@link XrefReconnectNeededException}); then the title and detail say so and the
 * {@code rejectedAt} member tells when.</li>
 * <li>A request that failed with an {@link XrefRateLimitedException} gets
 * {@code 503 Service Unavailable} with a {@code Retry-After} header in whole seconds: a
 * browser the stack's error page, any other client an RFC 9457 problem detail. It is
 * never redirected.</li>
 * </ul>
 * The answer never contains text from the request or from the exception.
 *
 * @since 0.1.0
 */
public final class XrefNotConnectedAnswer {

	/** The path, within the application, that starts a connect. */
	public static final String CONNECT_PATH = XrefClientRegistrations.AUTHORIZATION_PATH;

	/** The detail of every answer but the redirect. */
	public static final String DETAIL = "No Xref account is connected for this end user's tenant.";

	/** The detail of an answer to a tenant whose account's token Xref rejected. */
	public static final String RECONNECT_DETAIL = "Xref rejected the token of this end user's tenant's connection; "
			+ "the Xref account needs to be connected again.";

	/** The detail of an answer to a request that Xref limited the rate of. */
	public static final String RATE_LIMITED_DETAIL = "Xref limits the rate of calls; try again later.";

	/** The problem detail member that names the connect path. */
	public static final String CONNECT_URI = "connectUri";

	/**
	 * The problem detail member that tells {@value #NOT_CONNECTED} from
	 * {@value #RECONNECT_NEEDED}.
	 */
	public static final String REASON = "reason";

	/** The {@value #REASON} of a tenant that has no connection and no rejected one. */
	public static final String NOT_CONNECTED = "not_connected";

	/** The {@value #REASON} of a tenant whose account's token Xref rejected. */
	public static final String RECONNECT_NEEDED = "reconnect_needed";

	/**
	 * The problem detail member that tells when Xref rejected the token, an ISO-8601
	 * instant; only with {@value #RECONNECT_NEEDED}.
	 */
	public static final String REJECTED_AT = "rejectedAt";

	private static final String RECONNECT_TITLE = "Xref reconnect needed";

	/** Named although it is the default: clients that read {@code type} find it. */
	private static final URI BLANK_TYPE = URI.create("about:blank");

	private static final String REQUESTED_WITH_XHR = "XMLHttpRequest";

	private static final JsonMapper PROBLEM_MAPPER = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	private final Kind kind;

	private final HttpStatus status;

	private final @Nullable ProblemDetail problem;

	private final String detail;

	private final @Nullable Long retryAfterSeconds;

	private XrefNotConnectedAnswer(Kind kind, HttpStatus status, String detail, @Nullable ProblemDetail problem,
			@Nullable Long retryAfterSeconds) {
		this.kind = kind;
		this.status = status;
		this.detail = detail;
		this.problem = problem;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/**
	 * Returns the answer to a request of a tenant without connection.
	 * @param browser whether the request comes from a browser ({@link #isBrowser})
	 * @param authenticated whether the end user is authenticated (not anonymous)
	 * @param mayConnect whether the application's rules let the end user open
	 * {@value #CONNECT_PATH}; not asked of an anonymous end user
	 * @param contextPath the application's context path, {@code ""} for none
	 * @return the answer, with the reason {@value #NOT_CONNECTED}
	 */
	public static XrefNotConnectedAnswer of(boolean browser, boolean authenticated, boolean mayConnect,
			String contextPath) {
		return of(browser, authenticated, mayConnect, contextPath, null);
	}

	/**
	 * Returns the answer to a request that failed because the tenant has no connection,
	 * telling a tenant whose account's token Xref rejected ({@value #RECONNECT_NEEDED})
	 * from one that never connected ({@value #NOT_CONNECTED}).
	 * @param browser whether the request comes from a browser ({@link #isBrowser})
	 * @param authenticated whether the end user is authenticated (not anonymous)
	 * @param mayConnect whether the application's rules let the end user open
	 * {@value #CONNECT_PATH}; not asked of an anonymous end user
	 * @param contextPath the application's context path, {@code ""} for none
	 * @param exception what the request failed with ({@link #findNotConnected}), or
	 * {@code null}
	 * @return the answer
	 */
	public static XrefNotConnectedAnswer of(boolean browser, boolean authenticated, boolean mayConnect,
			String contextPath, @Nullable RuntimeException exception) {
		boolean connect = authenticated && mayConnect;
		XrefConnectionStatus rejected = (exception instanceof XrefReconnectNeededException reconnect)
				? reconnect.getStatus() : null;
		String detail = (rejected != null) ? RECONNECT_DETAIL : DETAIL;
		if (browser) {
			return new XrefNotConnectedAnswer((connect || !authenticated) ? Kind.REDIRECT : Kind.ERROR_PAGE,
					HttpStatus.CONFLICT, detail, null, null);
		}
		ProblemDetail problem = problem(HttpStatus.CONFLICT, detail);
		if (rejected != null) {
			problem.setTitle(RECONNECT_TITLE);
			problem.setProperty(REASON, RECONNECT_NEEDED);
			problem.setProperty(REJECTED_AT, String.valueOf(rejected.rejectedAt()));
		}
		else {
			problem.setProperty(REASON, NOT_CONNECTED);
		}
		if (connect) {
			problem.setProperty(CONNECT_URI, contextPath + CONNECT_PATH);
		}
		return new XrefNotConnectedAnswer(Kind.PROBLEM_DETAIL, HttpStatus.CONFLICT, detail, problem, null);
	}

	/**
	 * Returns the answer to a request that failed because Xref limited the rate of calls:
	 * {@code 503 Service Unavailable} with {@link #retryAfterSeconds()}.
	 * @param browser whether the request comes from a browser ({@link #isBrowser}); it
	 * gets the stack's error page
	 * @param exception what Xref answered, with the wait
	 * @return the answer
	 */
	public static XrefNotConnectedAnswer rateLimited(boolean browser, XrefRateLimitedException exception) {
		long retryAfter = exception.getRetryAfterSeconds();
		if (browser) {
			return new XrefNotConnectedAnswer(Kind.ERROR_PAGE, HttpStatus.SERVICE_UNAVAILABLE, RATE_LIMITED_DETAIL,
					null, retryAfter);
		}
		return new XrefNotConnectedAnswer(Kind.PROBLEM_DETAIL, HttpStatus.SERVICE_UNAVAILABLE, RATE_LIMITED_DETAIL,
				problem(HttpStatus.SERVICE_UNAVAILABLE, RATE_LIMITED_DETAIL), retryAfter);
	}

	private static ProblemDetail problem(HttpStatus status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(BLANK_TYPE);
		problem.setTitle(status.getReasonPhrase());
		return problem;
	}

	/**
	 * Whether a request comes from a browser, as Spring Security tells them apart for its
	 * entry points: its {@code Accept} header names {@code text/html} (or {@code text/*};
	 * {@code *}{@code /*} does not count) and it is no {@code XMLHttpRequest}. An
	 * {@code Accept} header that cannot be read is no browser's.
	 * @param accept the values of the {@code Accept} header, {@code null} or empty if
	 * there is none
	 * @param requestedWith the {@code X-Requested-With} header, or {@code null}
	 * @return whether to redirect rather than to answer with a problem detail
	 */
	public static boolean isBrowser(@Nullable List<String> accept, @Nullable String requestedWith) {
		if (REQUESTED_WITH_XHR.equals(requestedWith) || accept == null || accept.isEmpty()) {
			return false;
		}
		List<MediaType> mediaTypes;
		try {
			mediaTypes = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		for (MediaType mediaType : mediaTypes) {
			if (!mediaType.includes(MediaType.ALL) && MediaType.TEXT_HTML.isCompatibleWith(mediaType)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Finds the exception that says that the tenant has no connection: an
	 * {@link XrefNotConnectedException}, or else Spring Security's
	 * {@link ClientAuthorizationRequiredException} for the {@code xref} registration.
	 * @param causeChain an exception and its causes, outermost first
	 * @return the exception, or {@code null} if the failure has another reason
	 */
	public static @Nullable RuntimeException findNotConnected(Throwable[] causeChain) {
		for (Throwable cause : causeChain) {
			if (cause instanceof XrefNotConnectedException notConnected) {
				return notConnected;
			}
		}
		for (Throwable cause : causeChain) {
			if (cause instanceof ClientAuthorizationRequiredException required) {
				return XrefClientRegistrations.REGISTRATION_ID.equals(required.getClientRegistrationId()) ? required
						: null;
			}
		}
		return null;
	}

	/**
	 * Finds the exception that says that Xref limited the rate of calls.
	 * @param causeChain an exception and its causes, outermost first
	 * @return the exception, or {@code null} if the failure has another reason
	 */
	public static @Nullable XrefRateLimitedException findRateLimited(Throwable[] causeChain) {
		for (Throwable cause : causeChain) {
			if (cause instanceof XrefRateLimitedException rateLimited) {
				return rateLimited;
			}
		}
		return null;
	}

	/**
	 * Returns what kind of answer to write.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Returns the status of an {@link Kind#ERROR_PAGE} or {@link Kind#PROBLEM_DETAIL}.
	 * @return {@code 409 Conflict}, or {@code 503 Service Unavailable} when Xref limited
	 * the rate of calls
	 */
	public HttpStatus status() {
		return this.status;
	}

	/**
	 * Returns the detail of an {@link Kind#ERROR_PAGE} or {@link Kind#PROBLEM_DETAIL}.
	 * @return {@link #DETAIL}, {@link #RECONNECT_DETAIL} when Xref rejected the token of
	 * the tenant's account, or {@link #RATE_LIMITED_DETAIL} when Xref limited the rate of
	 * calls
	 */
	public String detail() {
		return this.detail;
	}

	/**
	 * Returns the value of the {@code Retry-After} header to send with the answer.
	 * @return whole seconds, or {@code null} to send no such header
	 */
	public @Nullable String retryAfter() {
		return (this.retryAfterSeconds != null) ? Long.toString(this.retryAfterSeconds) : null;
	}

	/**
	 * Returns the problem detail of a {@link Kind#PROBLEM_DETAIL}.
	 * @return the problem detail, or {@code null} for a browser
	 */
	public @Nullable ProblemDetail problemDetail() {
		return this.problem;
	}

	/**
	 * Returns the body of a {@link Kind#PROBLEM_DETAIL}, to be sent as
	 * {@code application/problem+json}.
	 * @return the problem detail as JSON
	 * @throws IllegalStateException if the answer is no problem detail
	 */
	public byte[] problemDetailJson() {
		if (this.problem == null) {
			throw new IllegalStateException("A browser is answered without a problem detail");
		}
		return PROBLEM_MAPPER.writeValueAsBytes(this.problem);
	}

	/**
	 * Kinds of answer.
	 */
	public enum Kind {

		/**
		 * Redirect the browser to {@value XrefNotConnectedAnswer#CONNECT_PATH}, a path
		 * the stack's redirect strategy puts after the context path.
		 */
		REDIRECT,

		/** The stack's error page with the {@link XrefNotConnectedAnswer#status()}. */
		ERROR_PAGE,

		/** The {@link XrefNotConnectedAnswer#problemDetail()} as the response body. */
		PROBLEM_DETAIL

	}

}
