package io.github.xrefoauth.test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * What the simulated Xref knows: registered clients, authorization codes and access
 * tokens. Thread-safe.
 */
final class SimulatedXref {

	static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Client> clients = new HashMap<>();

	private final Map<String, Grant> codes = new HashMap<>();

	private final Map<String, Grant> tokens = new HashMap<>();

	private volatile Clock clock = Clock.systemUTC();

	private volatile boolean independentTokens;

	synchronized void registerClient(Client client) {
		this.clients.put(client.id(), client);
	}

	synchronized Optional<Client> client(String clientId) {
		return Optional.ofNullable(this.clients.get(clientId));
	}

	synchronized String issueCode(String clientId, String accountId) {
		String code = randomHex(16);
		this.codes.put(code, new Grant(clientId, accountId, this.clock.instant()));
		return code;
	}

	/**
	 * Redeems a code once; a new token of a client for an account replaces the older one.
	 */
	synchronized @Nullable Token redeem(String clientId, String code) {
		Grant grant = this.codes.remove(code);
		if (grant == null || !grant.clientId().equals(clientId)
				|| !this.clock.instant().isBefore(grant.issuedAt().plus(CODE_LIFETIME))) {
			return null;
		}
		if (!this.independentTokens) {
			this.tokens.values().removeIf((held) -> held.sameAccount(grant));
		}
		String accessToken = randomHex(20);
		this.tokens.put(accessToken, new Grant(clientId, grant.accountId(), this.clock.instant()));
		return new Token(accessToken, grant.accountId());
	}

	synchronized Optional<String> accountOf(String accessToken) {
		return Optional.ofNullable(this.tokens.get(accessToken)).map(Grant::accountId);
	}

	/**
	 * Revokes every token of the account of the given token, as deauthorize does.
	 */
	synchronized boolean deauthorize(String accessToken) {
		Grant grant = this.tokens.get(accessToken);
		if (grant == null) {
			return false;
		}
		if (this.independentTokens) {
			this.tokens.remove(accessToken);
		}
		else {
			this.tokens.values().removeIf((held) -> held.sameAccount(grant));
		}
		return true;
	}

	synchronized boolean revokeAccount(String accountId) {
		return this.tokens.values().removeIf((held) -> held.accountId().equals(accountId));
	}

	synchronized Set<String> validTokens() {
		return Set.copyOf(this.tokens.keySet());
	}

	void setIndependentTokens(boolean independentTokens) {
		this.independentTokens = independentTokens;
	}

	synchronized Set<String> connectedAccounts() {
		return this.tokens.values().stream().map(Grant::accountId).collect(Collectors.toCollection(TreeSet::new));
	}

	void setClock(Clock clock) {
		this.clock = clock;
	}

	private String randomHex(int bytes) {
		byte[] value = new byte[bytes];
		this.random.nextBytes(value);
		return HexFormat.of().formatHex(value);
	}

	record Client(String id, String secret, String redirectUrl) {

	}

	record Token(String accessToken, String accountId) {

	}

	private record Grant(String clientId, String accountId, Instant issuedAt) {

		boolean sameAccount(Grant other) {
			return this.clientId.equals(other.clientId) && this.accountId.equals(other.accountId);
		}

	}

}
