package io.github.xrefoauth.web.server;

import java.io.Serializable;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.xrefoauth.connect.XrefPendingRequestRules;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

/**
 * {@link ServerXrefAuthorizationRequestRepository} that keeps pending requests in the
 * {@link WebSession}: one per state (so that connects started in two tabs both complete),
 * bound to the signed-in end user, expiring after {@link #setTimeToLive(Duration) 10
 * minutes}, at most {@link #setMaxPendingRequests(int) 10} per session.
 * <p>
 * Every change replaces the session attribute atomically, so two callbacks with one state
 * use it once. That holds within one application instance; with several, use
 * {@code JdbcServerXrefAuthorizationRequestRepository}.
 *
 * @since 0.1.0
 */
public final class WebSessionServerXrefAuthorizationRequestRepository
		implements ServerXrefAuthorizationRequestRepository {

	static final String SESSION_ATTRIBUTE = WebSessionServerXrefAuthorizationRequestRepository.class.getName()
			+ ".REQUESTS";

	private final XrefPendingRequestRules rules = new XrefPendingRequestRules();

	@Override
	public Mono<OAuth2AuthorizationRequest> loadAuthorizationRequest(ServerWebExchange exchange) {
		String state = state(exchange);
		if (state == null) {
			return Mono.empty();
		}
		return Mono.zip(exchange.getSession(), principalName(exchange))
			.mapNotNull((sessionAndUser) -> this.rules
				.find(copy(sessionAndUser.getT1().getAttribute(SESSION_ATTRIBUTE)).get(state), sessionAndUser.getT2()));
	}

	@Override
	public Mono<Void> saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			ServerWebExchange exchange) {
		if (authorizationRequest == null) {
			return removeAuthorizationRequest(exchange).then();
		}
		Assert.hasText(authorizationRequest.getState(), "authorizationRequest.state cannot be empty");
		return Mono.zip(exchange.getSession(), principalName(exchange)).doOnNext((sessionAndUser) -> {
			PendingRequest added = new PendingRequest(authorizationRequest, this.rules.now(), sessionAndUser.getT2());
			sessionAndUser.getT1().getAttributes().compute(SESSION_ATTRIBUTE, (key, value) -> {
				Map<String, PendingRequest> pending = copy(value);
				this.rules.add(pending, authorizationRequest.getState(), added);
				return pending;
			});
		}).then();
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> removeAuthorizationRequest(ServerWebExchange exchange) {
		String state = state(exchange);
		if (state == null) {
			return Mono.empty();
		}
		return Mono.zip(exchange.getSession(), principalName(exchange)).mapNotNull((sessionAndUser) -> {
			AtomicReference<@Nullable PendingRequest> removed = new AtomicReference<>();
			sessionAndUser.getT1().getAttributes().computeIfPresent(SESSION_ATTRIBUTE, (key, value) -> {
				Map<String, PendingRequest> pending = copy(value);
				PendingRequest candidate = this.rules.remove(pending, state, sessionAndUser.getT2());
				if (candidate == null) {
					return value;
				}
				removed.set(candidate);
				return pending.isEmpty() ? null : pending;
			});
			return this.rules.live(removed.get());
		});
	}

	/**
	 * Sets how long a connect may take from the redirect to Xref to the callback.
	 * Defaults to 10 minutes.
	 * @param timeToLive the time to live of a pending request
	 */
	public void setTimeToLive(Duration timeToLive) {
		this.rules.setTimeToLive(timeToLive);
	}

	/**
	 * Sets how many connects one session may have pending; the oldest is dropped beyond.
	 * Defaults to 10.
	 * @param maxPendingRequests the maximum number of pending requests per session
	 */
	public void setMaxPendingRequests(int maxPendingRequests) {
		this.rules.setMaxPendingPerBrowser(maxPendingRequests);
	}

	/**
	 * Sets the clock that decides expiry.
	 * @param clock the clock to use
	 */
	public void setClock(Clock clock) {
		this.rules.setClock(clock);
	}

	private static @Nullable String state(ServerWebExchange exchange) {
		return exchange.getRequest().getQueryParams().getFirst(OAuth2ParameterNames.STATE);
	}

	/**
	 * Returns the name of the signed-in end user, or an empty string for none.
	 */
	private static Mono<String> principalName(ServerWebExchange exchange) {
		return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, PendingRequest> copy(@Nullable Object attribute) {
		return (attribute instanceof Map<?, ?> map) ? new LinkedHashMap<>((Map<String, PendingRequest>) map)
				: new LinkedHashMap<>();
	}

	private record PendingRequest(OAuth2AuthorizationRequest request, Instant createdAt,
			String principal) implements XrefPendingRequestRules.Entry, Serializable {

	}

}
