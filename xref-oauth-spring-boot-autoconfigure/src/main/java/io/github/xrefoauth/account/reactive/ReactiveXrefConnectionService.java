package io.github.xrefoauth.account.reactive;

import java.util.Map;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefNotConnectedException;
import io.github.xrefoauth.client.XrefRequestAttributes;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Reads, verifies, disconnects and forgets the Xref connection of the authenticated end
 * user's tenant in a WebFlux application: the reactive counterpart of
 * {@code XrefConnectionService}. Store calls never run on the subscribing thread.
 * <p>
 * Xref's answer counts only when it is what its reference promises: a 2xx JSON object,
 * and for a deauthorize one whose {@code access_token} is the token revoked. Anything
 * else (a redirect, an HTML page, an error status) is an
 * {@link XrefUnexpectedResponseException} and the connection is kept.
 */
public class ReactiveXrefConnectionService {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	/** Stands for a {@code 401} answer; compared by identity. */
	private static final Map<String, Object> REJECTED = Map.of();

	private final ReactiveXrefAccountStore accountStore;

	private final ReactiveXrefTenantContext tenantContext;

	private final WebClient xrefWebClient;

	/**
	 * Creates a service.
	 * @param accountStore the connected accounts
	 * @param tenantContext the current end user's tenant
	 * @param xrefWebClient a client that adds the account's token (see
	 * {@code XrefTokenExchangeFilterFunction})
	 */
	public ReactiveXrefConnectionService(ReactiveXrefAccountStore accountStore, ReactiveXrefTenantContext tenantContext,
			WebClient xrefWebClient) {
		Assert.notNull(accountStore, "accountStore cannot be null");
		Assert.notNull(tenantContext, "tenantContext cannot be null");
		Assert.notNull(xrefWebClient, "xrefWebClient cannot be null");
		this.accountStore = accountStore;
		this.tenantContext = tenantContext;
		this.xrefWebClient = xrefWebClient;
	}

	/**
	 * Returns the connection of the authenticated end user's tenant.
	 * @return the connection, or empty if there is no end user or no connection
	 */
	public Mono<XrefConnection> current() {
		return this.tenantContext.currentTenant().flatMap(this.accountStore::findByTenant);
	}

	/**
	 * Asks Xref whether the current connection's token is still valid
	 * ({@code POST /auth}). A token that Xref rejects with {@code 401} is forgotten.
	 * @return {@code true} if Xref accepted the token with a 2xx JSON answer,
	 * {@code false} if it rejected it; an {@link XrefNotConnectedException} if the tenant
	 * has no connection; an {@link XrefUnexpectedResponseException} for any other answer
	 */
	public Mono<Boolean> verify() {
		return requireCurrent().flatMap((connection) -> post("/auth", connection)).map((answer) -> answer != REJECTED);
	}

	/**
	 * Revokes the current connection's token at Xref ({@code POST /oauth/deauthorize})
	 * and forgets the account for every tenant linked to it. A token that Xref already
	 * rejects with {@code 401} is forgotten as well.
	 * @return completes once the connection is forgotten; an
	 * {@link XrefNotConnectedException} if the tenant has no connection; an
	 * {@link XrefUnexpectedResponseException} or a {@code WebClient} exception if Xref
	 * did not confirm the revocation, and then the connection is kept so that the end
	 * user can try again (or {@link #forget()} it)
	 */
	public Mono<Void> disconnect() {
		return requireCurrent().flatMap((connection) -> post("/oauth/deauthorize", connection).flatMap((answer) -> {
			if (answer != REJECTED && !connection.accessToken().equals(answer.get("access_token"))) {
				return Mono.error(new XrefUnexpectedResponseException(
						"Xref answered POST /oauth/deauthorize without the revoked token"));
			}
			return this.accountStore.deleteByAccessToken(connection.accessToken());
		})).then();
	}

	/**
	 * Forgets the current connection here without calling Xref, for a token that Xref
	 * refuses to revoke. The token stays valid at Xref until the account owner revokes it
	 * there.
	 * @return whether a connection was forgotten
	 */
	public Mono<Boolean> forget() {
		return current().flatMap((connection) -> this.accountStore.deleteByAccessToken(connection.accessToken()))
			.defaultIfEmpty(false);
	}

	private Mono<Map<String, Object>> post(String path, XrefConnection connection) {
		return this.xrefWebClient.post()
			.uri(path)
			.attributes(XrefRequestAttributes.account(connection.xrefAccountId()))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> read(path, response));
	}

	private static Mono<Map<String, Object>> read(String path, ClientResponse response) {
		if (response.statusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
			return response.releaseBody().thenReturn(REJECTED);
		}
		boolean json = response.headers()
			.contentType()
			.filter(MediaType.APPLICATION_JSON::isCompatibleWith)
			.isPresent();
		if (!response.statusCode().is2xxSuccessful() || !json) {
			return response.releaseBody()
				.then(Mono.error(new XrefUnexpectedResponseException("Xref answered POST " + path + " with HTTP "
						+ response.statusCode().value() + (json ? "" : " and no JSON body"))));
		}
		return response.bodyToMono(JSON_OBJECT)
			.onErrorMap((ex) -> new XrefUnexpectedResponseException(
					"Xref answered POST " + path + " with a body that is not a JSON object"))
			.switchIfEmpty(Mono.error(
					() -> new XrefUnexpectedResponseException("Xref answered POST " + path + " with an empty body")));
	}

	private Mono<XrefConnection> requireCurrent() {
		return current().switchIfEmpty(Mono.error(() -> new XrefNotConnectedException("No Xref account is connected")));
	}

}
