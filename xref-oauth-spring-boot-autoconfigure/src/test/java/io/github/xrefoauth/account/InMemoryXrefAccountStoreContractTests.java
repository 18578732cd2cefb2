package io.github.xrefoauth.account;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryXrefAccountStoreContractTests extends XrefAccountStoreContractTests {

	@Override
	protected XrefAccountStore createStore() {
		return new InMemoryXrefAccountStore();
	}

	@Test
	void readsDuringReconnectsAlwaysFindTheOldOrTheNewAccount() throws Exception {
		InMemoryXrefAccountStore store = new InMemoryXrefAccountStore();
		store.save("tenant-a", connection("account-0", "token-0"));
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService readers = Executors.newFixedThreadPool(3);
		try {
			Future<?>[] results = new Future<?>[3];
			for (int i = 0; i < results.length; i++) {
				results[i] = readers.submit(() -> {
					int reads = 0;
					while (writing.get() || reads == 0) {
						Optional<XrefConnection> found = store.findByTenant("tenant-a");
						assertThat(found).as("read %d", reads).isPresent();
						reads++;
					}
					return reads;
				});
			}
			// Each connect moves the tenant to a new account and forgets the old one.
			for (int n = 1; n <= 20_000; n++) {
				store.save("tenant-a", connection("account-" + n, "token-" + n));
				store.deleteAccount("account-" + (n - 1));
			}
			writing.set(false);
			for (Future<?> result : results) {
				result.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			readers.shutdownNow();
		}
		assertThat(store.findByTenant("tenant-a")).map(XrefConnection::xrefAccountId).contains("account-20000");
		assertThat(store.deleteByAccessToken("token-19999")).isFalse();
		assertThat(store.deleteByAccessToken("token-20000")).isTrue();
		assertThat(store.findByTenant("tenant-a")).isEmpty();
	}

}
