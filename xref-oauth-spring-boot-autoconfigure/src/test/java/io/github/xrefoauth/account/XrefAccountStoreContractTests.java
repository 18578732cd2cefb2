package io.github.xrefoauth.account;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link XrefAccountStore} does. Run by one subclass per store.
 */
public abstract class XrefAccountStoreContractTests {

	private static final Instant CONNECTED_AT = Instant.parse("2026-01-01T10:00:00.123Z");

	private static final Instant REJECTED_AT = Instant.parse("2026-01-02T08:30:00.456Z");

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

	@Test
	void rejectKeepsTheAccountAsNeedingAReconnectForEveryLinkedTenant() {
		XrefConnection connection = connection("account-1", "token-1");
		this.store.save("tenant-a", connection);
		this.store.save("tenant-b", connection);
		this.store.save("tenant-c", connection("account-2", "token-2"));

		assertThat(this.store.reject(connection, REJECTED_AT, RejectedBy.VERIFY)).isTrue();

		XrefConnectionStatus expected = XrefConnectionStatus.reconnectNeeded("account-1", connection.connectedAt(),
				"alice", REJECTED_AT, RejectedBy.VERIFY);
		assertThat(this.store.status("tenant-a")).isEqualTo(expected);
		assertThat(this.store.status("tenant-b")).isEqualTo(expected);
		assertThat(this.store.status("tenant-c").state()).isEqualTo(XrefConnectionStatus.State.CONNECTED);
		assertThat(this.store.findByTenant("tenant-a")).isEmpty();
		assertThat(this.store.findByTenant("tenant-b")).isEmpty();
		assertThat(this.store.findByAccount("account-1")).isEmpty();
		assertThat(this.store.findTenants("account-1")).containsExactlyInAnyOrder("tenant-a", "tenant-b");
		assertThat(this.store.deleteByAccessToken("token-1")).isFalse();
		assertThat(this.store.reject(connection, REJECTED_AT, RejectedBy.API_CALL)).isFalse();
		assertThat(this.store.status("tenant-a")).isEqualTo(expected);
	}

	@Test
	void rejectOfATokenReplacedMeanwhileChangesNothing() {
		XrefConnection first = connection("account-1", "token-1");
		this.store.save("tenant-a", first);
		XrefConnection newer = connection("account-1", "token-2");
		this.store.save("tenant-a", newer);

		assertThat(this.store.reject(first, REJECTED_AT, RejectedBy.API_CALL)).isFalse();

		assertThat(this.store.findByTenant("tenant-a")).contains(newer);
		assertThat(this.store.findByAccount("account-1")).contains(newer);
		assertThat(this.store.status("tenant-a")).isEqualTo(XrefConnectionStatus.connected(newer));
	}

	@Test
	void rejectNeedsTheTokenOfThatAccount() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		assertThat(this.store.reject(connection("account-2", "token-1"), REJECTED_AT, RejectedBy.API_CALL)).isFalse();
		assertThat(this.store.reject(connection("account-1", "token-9"), REJECTED_AT, RejectedBy.API_CALL)).isFalse();
		assertThat(this.store.findByTenant("tenant-a")).map(XrefConnection::accessToken).contains("token-1");
	}

	@Test
	void reconnectAfterARejectConnectsEveryLinkedTenantAgain() {
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.save("tenant-b", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.HEALTH_CHECK);

		XrefConnection reconnected = new XrefConnection("account-1", "token-2", REJECTED_AT.plusSeconds(60), "bob");
		assertThat(this.store.replace("tenant-b", reconnected)).as("the rejected token is no longer held").isEmpty();

		assertThat(this.store.status("tenant-a")).isEqualTo(XrefConnectionStatus.connected(reconnected));
		assertThat(this.store.status("tenant-b")).isEqualTo(XrefConnectionStatus.connected(reconnected));
		assertThat(this.store.findByTenant("tenant-a")).contains(reconnected);
		assertThat(this.store.findByAccount("account-1")).contains(reconnected);
		assertThat(this.store.deleteByAccessToken("token-1")).isFalse();
		XrefAccountCounts counts = (XrefAccountCounts) this.store;
		assertThat(counts.countAccountsToReconnect()).isZero();
		assertThat(counts.countAccounts()).isOne();
	}

	@Test
	void deleteAccountRemovesARejectedAccount() {
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);

		assertThat(this.store.deleteAccount("account-1")).isTrue();

		assertThat(this.store.status("tenant-a")).isEqualTo(XrefConnectionStatus.notConnected());
		assertThat(this.store.findTenants("account-1")).isEmpty();
		assertThat(((XrefAccountCounts) this.store).countAccountsToReconnect()).isZero();
		assertThat(this.store.deleteAccount("account-1")).isFalse();
	}

	@Test
	void deleteRejectedRemovesTheRecordOfEveryLinkedTenant() {
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.save("tenant-b", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.HEALTH_CHECK);

		assertThat(this.store.deleteRejected("account-1")).isTrue();

		assertThat(this.store.status("tenant-a")).isEqualTo(XrefConnectionStatus.notConnected());
		assertThat(this.store.status("tenant-b")).isEqualTo(XrefConnectionStatus.notConnected());
		assertThat(this.store.findTenants("account-1")).isEmpty();
		assertThat(((XrefAccountCounts) this.store).countAccountsToReconnect()).isZero();
		assertThat(this.store.deleteRejected("account-1")).as("already removed").isFalse();
	}

	@Test
	void deleteRejectedLeavesAnAccountThatHoldsAToken() {
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);
		XrefConnection reconnected = connection("account-1", "token-2");
		this.store.replace("tenant-a", reconnected);
		this.store.save("tenant-b", connection("account-2", "token-3"));

		assertThat(this.store.deleteRejected("account-1")).isFalse();
		assertThat(this.store.deleteRejected("account-2")).isFalse();
		assertThat(this.store.deleteRejected("account-9")).isFalse();

		assertThat(this.store.findByTenant("tenant-a")).contains(reconnected);
		assertThat(this.store.findByTenant("tenant-b")).isPresent();
	}

	@Test
	void tenantThatLeavesARejectedAccountLeavesNothingBehind() {
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);

		assertThat(this.store.replace("tenant-a", connection("account-2", "token-2"))).isEmpty();

		assertThat(this.store.findTenants("account-1")).isEmpty();
		assertThat(this.store.status("tenant-a").xrefAccountId()).isEqualTo("account-2");
		assertThat(((XrefAccountCounts) this.store).countAccountsToReconnect()).isZero();
	}

	@Test
	void statusOfATenantThatNeverConnectedIsNotConnected() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		assertThat(this.store.status("tenant-b")).isEqualTo(XrefConnectionStatus.notConnected());
		assertThat(this.store.status("tenant-a"))
			.isEqualTo(XrefConnectionStatus.connected(connection("account-1", "token-1")));
		assertThat(this.store.findTenants("account-2")).isEmpty();
	}

	@Test
	void findTenantsFollowsTheLinks() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-b", connection("account-1", "token-1"));
		this.store.save("tenant-c", connection("account-2", "token-2"));
		assertThat(this.store.findTenants("account-1")).containsExactlyInAnyOrder("tenant-a", "tenant-b");
		this.store.save("tenant-b", connection("account-2", "token-2"));
		assertThat(this.store.findTenants("account-1")).containsExactly("tenant-a");
		assertThat(this.store.findTenants("account-2")).containsExactlyInAnyOrder("tenant-b", "tenant-c");
	}

	@Test
	void countsTellConnectedAccountsFromAccountsToReconnect() {
		XrefAccountCounts counts = (XrefAccountCounts) this.store;
		XrefConnection rejected = connection("account-1", "token-1");
		this.store.save("tenant-a", rejected);
		this.store.save("tenant-b", rejected);
		this.store.save("tenant-c", connection("account-2", "token-2"));

		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);

		assertThat(counts.countAccounts()).isOne();
		assertThat(counts.countTenants()).as("tenants linked to a connected account").isOne();
		assertThat(counts.countAccountsToReconnect()).isOne();
	}

	@Test
	void claimReturnsEachConnectionOncePerIntervalOldestClaimFirst() {
		for (int n = 0; n < 5; n++) {
			this.store.save("tenant-" + n, connection("account-" + n, "token-" + n));
		}
		XrefConnection rejected = connection("account-r", "token-r");
		this.store.save("tenant-r", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);
		Duration interval = Duration.ofMinutes(10);
		Instant start = Instant.parse("2026-02-01T00:00:00Z");

		List<XrefConnection> first = this.store.claimForCheck(start, interval, 3);
		List<XrefConnection> second = this.store.claimForCheck(start.plusSeconds(1), interval, 3);
		assertThat(first).hasSize(3);
		assertThat(second).hasSize(2);
		List<XrefConnection> all = new ArrayList<>(first);
		all.addAll(second);
		assertThat(all).extracting(XrefConnection::accessToken)
			.containsExactlyInAnyOrder("token-0", "token-1", "token-2", "token-3", "token-4");
		assertThat(all).contains(connection("account-0", "token-0"));
		assertThat(this.store.claimForCheck(start.plus(interval).minusMillis(1), interval, 10))
			.as("claimed less than an interval ago")
			.isEmpty();

		List<XrefConnection> again = this.store.claimForCheck(start.plus(interval), interval, 10);
		assertThat(again).as("only those claimed an interval ago").containsExactlyInAnyOrderElementsOf(first);
		assertThat(this.store.claimForCheck(start.plus(interval).plusSeconds(1), interval, 10))
			.containsExactlyInAnyOrderElementsOf(second);
	}

	@Test
	void claimReturnsTheCurrentTokenAndSkipsRejectedAccountsUntilTheyReconnect() {
		this.store.save("tenant-a", connection("account-1", "token-1"));
		this.store.save("tenant-a", connection("account-1", "token-2"));
		XrefConnection rejected = connection("account-2", "token-3");
		this.store.save("tenant-b", rejected);
		this.store.reject(rejected, REJECTED_AT, RejectedBy.API_CALL);
		Instant now = Instant.parse("2026-02-01T00:00:00Z");

		assertThat(this.store.claimForCheck(now, Duration.ofMinutes(1), 10))
			.containsExactly(connection("account-1", "token-2"));

		this.store.save("tenant-b", connection("account-2", "token-4"));
		assertThat(this.store.claimForCheck(now.plusSeconds(1), Duration.ofMinutes(1), 10))
			.containsExactly(connection("account-2", "token-4"));
	}

	@Test
	void countOfClaimsAfterAnInstantCountsTheConnectionsLastClaimedAfterIt() {
		for (int n = 0; n < 5; n++) {
			this.store.save("tenant-" + n, connection("account-" + n, "token-" + n));
		}
		XrefAccountCounts counts = (XrefAccountCounts) this.store;
		Instant start = Instant.parse("2026-02-01T00:00:00Z");
		assertThat(counts.countClaimedForCheckAfter(start.minusMillis(1))).as("never claimed").isZero();

		List<XrefConnection> first = this.store.claimForCheck(start, Duration.ofMinutes(10), 3);
		this.store.claimForCheck(start.plusSeconds(1), Duration.ofMinutes(10), 3);

		assertThat(counts.countClaimedForCheckAfter(start.minusMillis(1))).isEqualTo(5);
		assertThat(counts.countClaimedForCheckAfter(start)).as("after, not at").isEqualTo(2);
		assertThat(counts.countClaimedForCheckAfter(start.plusSeconds(1))).isZero();
		this.store.reject(first.get(0), REJECTED_AT, RejectedBy.HEALTH_CHECK);
		assertThat(counts.countClaimedForCheckAfter(start.minusMillis(1))).as("a rejected one is not counted")
			.isEqualTo(4);
	}

	@Test
	void concurrentClaimsClaimEveryConnectionExactlyOnce() throws Exception {
		for (int n = 0; n < 200; n++) {
			this.store.save("tenant-" + n, connection("account-" + n, "token-" + n));
		}
		Instant now = Instant.parse("2026-02-01T00:00:00Z");
		Queue<String> claimed = new ConcurrentLinkedQueue<>();
		List<Throwable> failures = Concurrently.run(40, (n) -> this.store.claimForCheck(now, Duration.ofMinutes(10), 7)
			.forEach((connection) -> claimed.add(connection.xrefAccountId())));
		assertThat(failures).isEmpty();
		// A claim skips the rows that a concurrent one holds: claim what is left.
		List<XrefConnection> rest;
		while (!(rest = this.store.claimForCheck(now, Duration.ofMinutes(10), 7)).isEmpty()) {
			rest.forEach((connection) -> claimed.add(connection.xrefAccountId()));
		}
		assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
	}

	protected static XrefConnection connection(String accountId, String token) {
		return new XrefConnection(accountId, token, CONNECTED_AT.truncatedTo(ChronoUnit.MILLIS), "alice");
	}

}
