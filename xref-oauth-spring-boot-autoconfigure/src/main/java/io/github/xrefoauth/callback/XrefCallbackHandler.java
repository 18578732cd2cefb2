package io.github.xrefoauth.callback;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefTenantContext;
import io.github.xrefoauth.authorize.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.event.XrefConnectFailedEvent;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.observation.XrefObservationDocumentation;
import io.github.xrefoauth.observation.XrefObservations;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenResponse;
import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Handles Xref's redirect back to the platform ({@code redirect-uri}).
 * <ol>
 * <li>takes the pending request of the {@code state} out of the repository (single use);
 * without one, Xref's token endpoint is never called;</li>
 * <li>turns {@code error=...} into a failure;</li>
 * <li>exchanges the {@code code} for the account's token;</li>
 * <li>stores the token under the Xref account and links the end user's tenant to it;</li>
 * <li>redirects to the success URL, or to the failure URL with
 * {@code ?xref_error=<code>}.</li>
 * </ol>
 */
public final class XrefCallbackHandler {

	/** The query parameter that carries the {@link XrefConnectFailure#code()}. */
	public static final String FAILURE_PARAMETER = "xref_error";

	private static final Log logger = LogFactory.getLog(XrefCallbackHandler.class);

	private final RequestMatcher callbackMatcher;

	private final XrefAuthorizationRequestRepository authorizationRequestRepository;

	private final XrefTokenClient tokenClient;

	private final XrefAccountStore accountStore;

	private final XrefTenantContext tenantContext;

	private String successUrl = "/";

	private String failureUrl = "/";

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private Clock clock = Clock.systemUTC();

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private XrefObservations observations = new XrefObservations(ObservationRegistry.NOOP);

	/**
	 * Creates a handler.
	 * @param callbackPath the path of the redirect URL registered with Xref
	 * @param authorizationRequestRepository the pending authorization requests
	 * @param tokenClient exchanges the code
	 * @param accountStore stores the token
	 * @param tenantContext the end user's tenant
	 */
	public XrefCallbackHandler(String callbackPath, XrefAuthorizationRequestRepository authorizationRequestRepository,
			XrefTokenClient tokenClient, XrefAccountStore accountStore, XrefTenantContext tenantContext) {
		Assert.hasText(callbackPath, "callbackPath cannot be empty");
		Assert.notNull(authorizationRequestRepository, "authorizationRequestRepository cannot be null");
		Assert.notNull(tokenClient, "tokenClient cannot be null");
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		this.callbackMatcher = PathPatternRequestMatcher.withDefaults().matcher(callbackPath);
		this.authorizationRequestRepository = authorizationRequestRepository;
		this.tokenClient = tokenClient;
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
	}

	/**
	 * Whether the request is Xref's callback.
	 * @param request the request
	 * @return {@code true} for a request to the callback path
	 */
	public boolean matches(HttpServletRequest request) {
		return this.callbackMatcher.matches(request);
	}

	/**
	 * Completes a connect and redirects the end user.
	 * @param request the callback request
	 * @param response the response
	 * @throws IOException if the redirect fails
	 */
	public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
		XrefConnectFailure failure = this.observations.observe(XrefObservationDocumentation.CONNECT,
				() -> complete(request, response), (outcome) -> (outcome != null) ? outcome.code() : null);
		if (failure == null) {
			this.redirectStrategy.sendRedirect(request, response, this.successUrl);
			return;
		}
		sendFailure(request, response, failure);
	}

	private void sendFailure(HttpServletRequest request, HttpServletResponse response, XrefConnectFailure failure)
			throws IOException {
		String target = UriComponentsBuilder.fromUriString(this.failureUrl)
			.queryParam(FAILURE_PARAMETER, failure.code())
			.toUriString();
		this.redirectStrategy.sendRedirect(request, response, target);
	}

	/**
	 * Sends the end user to the failure URL when a connect could not be started, e.g.
	 * because the pending request could not be saved.
	 * @param request the request to {@code /oauth2/authorization/xref}
	 * @param response the response
	 * @param exception what went wrong
	 * @throws IOException if the redirect fails
	 */
	public void startFailed(HttpServletRequest request, HttpServletResponse response, Exception exception)
			throws IOException {
		sendFailure(request, response, this.observations.observe(XrefObservationDocumentation.CONNECT,
				() -> fail(XrefConnectFailure.START_FAILED, exception), XrefConnectFailure::code));
	}

	private @Nullable XrefConnectFailure complete(HttpServletRequest request, HttpServletResponse response) {
		try {
			Authentication user = this.tenantContext.currentUser()
				.orElseThrow(() -> new ConnectFailed(XrefConnectFailure.NOT_AUTHENTICATED, null));
			String code = consumeState(request, response);
			String tenantKey = attempt(XrefConnectFailure.NO_TENANT, () -> this.tenantContext.tenantOf(user));
			XrefTokenResponse token = attempt(XrefConnectFailure.TOKEN_EXCHANGE_FAILED, () -> this.observations
				.observe(XrefObservationDocumentation.TOKEN_EXCHANGE, () -> this.tokenClient.exchange(code)));
			XrefConnection connection = new XrefConnection(token.xrefAccountId(), token.accessToken(),
					this.clock.instant(), user.getName());
			attempt(XrefConnectFailure.STORE_FAILED, () -> {
				this.accountStore.save(tenantKey, connection);
				return connection;
			});
			logger.info("Connected Xref account " + token.xrefAccountId() + " for tenant " + tenantKey);
			this.eventPublisher.publishEvent(
					new XrefConnectedEvent(tenantKey, token.xrefAccountId(), user.getName(), connection.connectedAt()));
			return null;
		}
		catch (ConnectFailed ex) {
			return fail(ex.failure, (Exception) ex.getCause());
		}
	}

	/**
	 * Takes the pending request of the state out of the repository and returns the code
	 * that Xref sent along.
	 */
	private String consumeState(HttpServletRequest request, HttpServletResponse response) {
		OAuth2AuthorizationRequest pending = attempt(XrefConnectFailure.STORE_FAILED,
				() -> this.authorizationRequestRepository.removeAuthorizationRequest(request, response));
		if (pending == null) {
			throw new ConnectFailed(XrefConnectFailure.INVALID_STATE, null);
		}
		String error = request.getParameter(OAuth2ParameterNames.ERROR);
		if (error != null) {
			throw new ConnectFailed(OAuth2ErrorCodes.ACCESS_DENIED.equals(error) ? XrefConnectFailure.DENIED
					: XrefConnectFailure.XREF_ERROR, null);
		}
		String code = request.getParameter(OAuth2ParameterNames.CODE);
		if (!StringUtils.hasText(code)) {
			throw new ConnectFailed(XrefConnectFailure.MISSING_CODE, null);
		}
		return code;
	}

	private static <T> T attempt(XrefConnectFailure failure, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (RuntimeException ex) {
			throw new ConnectFailed(failure, ex);
		}
	}

	/**
	 * Logs the reason code and the type of the cause, never its message: messages of
	 * drivers and HTTP clients can carry stored values.
	 */
	private XrefConnectFailure fail(XrefConnectFailure failure, @Nullable Exception cause) {
		String reason = (cause != null)
				? ": " + NestedExceptionUtils.getMostSpecificCause(cause).getClass().getSimpleName() : "";
		logger.warn("Xref connect failed with " + failure.code() + reason);
		this.eventPublisher.publishEvent(new XrefConnectFailedEvent(failure, currentTenantOrNull(),
				this.tenantContext.currentUser().map(Authentication::getName).orElse(null), this.clock.instant()));
		return failure;
	}

	private @Nullable String currentTenantOrNull() {
		try {
			return this.tenantContext.currentTenant().orElse(null);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Sets where the end user lands after a successful connect. Defaults to {@code /}.
	 * @param successUrl the URL
	 */
	public void setSuccessUrl(String successUrl) {
		Assert.hasText(successUrl, "successUrl cannot be empty");
		this.successUrl = successUrl;
	}

	/**
	 * Sets where the end user lands after a failed connect; the reason is appended as
	 * {@value #FAILURE_PARAMETER}. Defaults to {@code /}.
	 * @param failureUrl the URL
	 */
	public void setFailureUrl(String failureUrl) {
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
		this.failureUrl = failureUrl;
	}

	/**
	 * Sets the strategy that sends the end user on.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the clock that stamps new connections.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Sets the publisher of {@code XrefConnectedEvent} and
	 * {@code XrefConnectFailedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the registry of the {@code xref.connect} and {@code xref.token.exchange}
	 * observations. Defaults to {@link ObservationRegistry#NOOP}.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "observationRegistry cannot be null");
		this.observations = new XrefObservations(observationRegistry);
	}

	/**
	 * Ends {@link #complete} with a failure.
	 */
	private static final class ConnectFailed extends RuntimeException {

		private final XrefConnectFailure failure;

		ConnectFailed(XrefConnectFailure failure, @Nullable RuntimeException cause) {
			super(failure.code(), cause, false, false);
			this.failure = failure;
		}

	}

}
