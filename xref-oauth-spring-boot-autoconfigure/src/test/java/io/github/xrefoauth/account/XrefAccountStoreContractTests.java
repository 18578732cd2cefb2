package io.github.xrefoauth.account;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link XrefAccountStore} does. Run by one subclass per store.
 */
public abstract class XrefAccountStoreContractTests {

	private static final Instant CONNECTED_AT = Instant.parse("2026-01-01T10:00:00.123Z");

	private XrefAccountStore store;

	/**
	 * Creates the store under test, empty.
	 * @return the store
	 */
	protected abstract XrefAccountStore createStore();

	@BeforeEach
	void createStoreUnderTest() {
		this.store = createStore();
	}

	@Test
	void savedConnectionIsFoundByTenantAndByAccount() {
		XrefConnection connection = connection("account-1", "token-1");
		this.store.save("tenant-a", connection);
		assertThat(this.store.findByTenant("tenant-a")).contains(connection);
		assertThat(this.store.findByAccount("account-1")).contains(connection);
	}

	@Test
	void countsAccountsAndLinkedTenants() {
		XrefAccountCounts counts = (XrefAccountCounts) this.store;
		assertThat(counts.countAccounts()).isZero();
		assertThat(counts.countTenants()).isZero();
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-b", connection("account-1", "token-1"));
		this.store.save("tenant-c", connection("account-2", "token-2"));
		assertThat(counts.countAccounts()).isEqualTo(2);
		assertThat(counts.countTenants()).isEqualTo(3);
		this.store.deleteAccount("account-1");
		assertThat(counts.countAccounts()).isOne();
		assertThat(counts.countTenants()).isOne();
	}

	@Test
	void unknownTenantAndAccountAreNotFound() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		assertThat(this.store.findByTenant("tenant-b")).isEmpty();
		assertThat(this.store.findByAccount("account-2")).isEmpty();
		assertThat(this.store.deleteAccount("account-2")).isFalse();
		assertThat(this.store.deleteByAccessToken("token-2")).isFalse();
	}

	@Test
	void reconnectReplacesTheTokenOfTheAccountForEveryTenant() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-b", connection("account-1", "token-1"));
		XrefConnection newer = connection("account-1", "token-2");
		this.store.save("tenant-b", newer);
		assertThat(this.store.findByTenant("tenant-a")).contains(newer);
		assertThat(this.store.findByTenant("tenant-b")).contains(newer);
		assertThat(this.store.findByAccount("account-1")).contains(newer);
	}

	@Test
	void tenantThatConnectsAnotherAccountIsLinkedToIt() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		XrefConnection other = connection("account-2", "token-2");
		this.store.save("tenant-a", other);
		assertThat(this.store.findByTenant("tenant-a")).contains(other);
		// No tenant is linked to account-1 any more: its token goes with it.
		assertThat(this.store.findByAccount("account-1")).isEmpty();
	}

	@Test
	void deleteAccountForgetsTheTokenAndEveryTenantLink() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-b", connection("account-1", "token-1"));
		this.store.save("tenant-c", connection("account-2", "token-2"));
		assertThat(this.store.deleteAccount("account-1")).isTrue();
		assertThat(this.store.findByTenant("tenant-a")).isEmpty();
		assertThat(this.store.findByTenant("tenant-b")).isEmpty();
		assertThat(this.store.findByAccount("account-1")).isEmpty();
		assertThat(this.store.findByTenant("tenant-c")).isPresent();
	}

	@Test
	void deleteByAccessTokenForgetsTheAccountThatHoldsIt() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-b", connection("account-2", "token-2"));
		assertThat(this.store.deleteByAccessToken("token-1")).isTrue();
		assertThat(this.store.findByAccount("account-1")).isEmpty();
		assertThat(this.store.findByTenant("tenant-a")).isEmpty();
		assertThat(this.store.findByTenant("tenant-b")).isPresent();
	}

	@Test
	void deleteByAccessTokenLeavesANewerTokenAlone() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-a", connection("account-1", "token-2"));
		assertThat(this.store.deleteByAccessToken("token-1")).isFalse();
		assertThat(this.store.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains("token-2");
	}

	@Test
	void concurrentConnectsAndDisconnectsOfOneAccountLeaveTheLastConnectInForce() throws Exception {
		// 50 connects of account-1 from three tenants with distinct tokens, interleaved
		// with 50 disconnects of both kinds.
		List<Throwable> failures = Concurrently.run(100, (n) -> {
			switch (n % 4) {
				case 0, 2 -> this.store.save("tenant-" + (n % 3), connection("account-1", "token-" + n));
				case 1 -> this.store.deleteAccount("account-1");
				default -> this.store.deleteByAccessToken("token-" + (n - 1));
			}
		});
		assertThat(failures).isEmpty();

		XrefConnection last = connection("account-1", "token-last");
		this.store.save("tenant-1", last);
		assertThat(this.store.findByTenant("tenant-1")).contains(last);
		assertThat(this.store.findByAccount("account-1")).contains(last);
		for (String tenant : List.of("tenant-0", "tenant-2")) {
			this.store.findByTenant(tenant)
				.ifPresent((connection) -> assertThat(connection).as(tenant).isEqualTo(last));
		}
		for (int n = 0; n < 100; n++) {
			assertThat(this.store.deleteByAccessToken("token-" + n)).as("token-" + n).isFalse();
		}
		assertThat(this.store.deleteByAccessToken("token-last")).isTrue();
		for (String tenant : List.of("tenant-0", "tenant-1", "tenant-2")) {
			assertThat(this.store.findByTenant(tenant)).as(tenant).isEmpty();
		}
		assertThat(this.store.findByAccount("account-1")).isEmpty();
	}

	@Test
	void replaceReturnsTheConnectionOfTheAccountThatItReplaced() {
		XrefConnection first = connection("account-1", "token-1");
		assertThat(this.store.replace("tenant-a", first)).isEmpty();
		XrefConnection second = connection("account-1", "token-2");
		assertThat(this.store.replace("tenant-b", second)).contains(first);
		assertThat(this.store.replace("tenant-a", connection("account-2", "token-3"))).isEmpty();
		assertThat(this.store.replace("tenant-a", connection("account-1", "token-4"))).containsExactly(second,
				connection("account-2", "token-3"));
		assertThat(this.store.findByTenant("tenant-b")).map(XrefConnection::accessToken).contains("token-4");
		assertThat(this.store.deleteAccount("account-1")).isTrue();
		assertThat(this.store.replace("tenant-a", connection("account-1", "token-5"))).isEmpty();
	}

	@Test
	void tenantThatMovesToAnotherAccountEndsTheAccountItLeftOnceNoTenantIsLinkedToIt() {
		XrefConnection shared = connection("account-1", "token-1");
		this.store.save("tenant-a", shared);
		this.store.save("tenant-b", shared);

		assertThat(this.store.replace("tenant-a", connection("account-2", "token-2"))).isEmpty();
		assertThat(this.store.findByAccount("account-1")).contains(shared);
		assertThat(this.store.replace("tenant-b", connection("account-3", "token-3"))).containsExactly(shared);

		assertThat(this.store.findByAccount("account-1")).isEmpty();
		assertThat(this.store.deleteByAccessToken("token-1")).isFalse();
		assertThat(this.store.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains("token-2");
		assertThat(this.store.findByTenant("tenant-b")).map(XrefConnection::accessToken).contains("token-3");
	}

	@Test
	void concurrentMovesOfEveryTenantOfAnAccountEndItExactlyOnce() throws Exception {
		for (int round = 0; round < 20; round++) {
			XrefConnection shared = connection("account-" + round, "token-" + round);
			for (int tenant = 0; tenant < 4; tenant++) {
				this.store.save("tenant-" + tenant, shared);
			}
			Queue<XrefConnection> ended = new ConcurrentLinkedQueue<>();
			int moved = round;
			List<Throwable> failures = Concurrently.run(4, (n) -> ended.addAll(this.store.replace("tenant-" + n,
					connection("account-" + moved + "-" + n, "token-" + moved + "-" + n))));
			assertThat(failures).isEmpty();
			assertThat(ended).as("round " + round).containsExactly(shared);
			assertThat(this.store.findByAccount("account-" + round)).isEmpty();
		}
	}

	@Test
	void concurrentReplacesOfOneAccountEachReturnTheTokenThatTheyReplaced() throws Exception {
		// A cached or earlier read would return one token twice and lose another.
		for (int tenant = 0; tenant < 3; tenant++) {
			this.store.findByTenant("tenant-" + tenant);
		}
		Queue<String> replacedTokens = new ConcurrentLinkedQueue<>();
		List<Throwable> failures = Concurrently.run(100, (n) -> {
			this.store.findByAccount("account-1");
			this.store.replace("tenant-" + (n % 3), connection("account-1", "token-" + n))
				.forEach((replaced) -> replacedTokens.add(replaced.accessToken()));
		});
		assertThat(failures).isEmpty();
		String last = this.store.replace("tenant-0", connection("account-1", "token-last")).get(0).accessToken();
		replacedTokens.add(last);
		Set<String> expected = new HashSet<>();
		for (int n = 0; n < 100; n++) {
			expected.add("token-" + n);
		}
		assertThat(replacedTokens).hasSize(100).containsExactlyInAnyOrderElementsOf(expected);
	}

	protected static XrefConnection connection(String accountId, String token) {
		return new XrefConnection(accountId, token, CONNECTED_AT.truncatedTo(ChronoUnit.MILLIS), "alice");
	}

}
