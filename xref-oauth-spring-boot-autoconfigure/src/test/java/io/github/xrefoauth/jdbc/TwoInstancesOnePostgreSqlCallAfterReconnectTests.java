package io.github.xrefoauth.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.autoconfigure.XrefClientAutoConfiguration;
import io.github.xrefoauth.event.XrefConnectionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances on one PostgreSQL database: instance B has read the tenant's
 * token, instance A connects the account anew (Xref revokes the old token), and B's next
 * call through {@code xrefRestClient} or {@code xrefWebClient} succeeds with the stored
 * token, whether or not B's cache still held the old one (it does, for up to
 * {@code cache-ttl}, unless B learns of the write sooner).
 */
class TwoInstancesOnePostgreSqlCallAfterReconnectTests {

	private AliceOnPostgreSql alice;

	private ConfigurableApplicationContext instanceA;

	private ConfigurableApplicationContext instanceB;

	private final List<Object> eventsOnB = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startInstances() throws Exception {
		this.alice = new AliceOnPostgreSql();
		this.instanceA = this.alice.start(Instance.class);
		this.instanceB = this.alice.start(Instance.class);
		this.instanceB.addApplicationListener((event) -> {
			if (event instanceof PayloadApplicationEvent<?> payload
					&& payload.getPayload() instanceof XrefConnectionEvent connectionEvent) {
				this.eventsOnB.add(connectionEvent);
			}
		});
		assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
	}

	@AfterEach
	void stopInstances() {
		if (this.alice != null) {
			this.alice.close();
		}
	}

	@Test
	void restClientCallOnBAfterAReconnectOnASucceeds() throws Exception {
		RestClient clientOnB = this.instanceB.getBean(XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME,
				RestClient.class);
		AliceOnPostgreSql.signIn();
		assertThat(clientOnB.post().uri("/auth").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		String t1 = this.alice.storedToken();

		reconnectOnA(t1);
		AliceOnPostgreSql.signIn();

		ResponseEntity<String> answer = clientOnB.post().uri("/auth").retrieve().toEntity(String.class);

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getBody()).contains("acct-1");
		assertTenantStillConnectedWith(this.alice.storedToken());
	}

	@Test
	void webClientCallOnBAfterAReconnectOnASucceeds() throws Exception {
		WebClient clientOnB = this.instanceB.getBean(XrefClientAutoConfiguration.WEB_CLIENT_BEAN_NAME, WebClient.class);
		AliceOnPostgreSql.signIn();
		assertThat(clientOnB.post().uri("/auth").retrieve().toBodilessEntity().block().getStatusCode())
			.isEqualTo(HttpStatus.OK);
		String t1 = this.alice.storedToken();

		reconnectOnA(t1);
		AliceOnPostgreSql.signIn();

		ResponseEntity<String> answer = clientOnB.post().uri("/auth").retrieve().toEntity(String.class).block();

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getBody()).contains("acct-1");
		assertTenantStillConnectedWith(this.alice.storedToken());
	}

	/**
	 * Alice connects the account anew on A: the new token is stored, and Xref no longer
	 * honours the one B has cached.
	 */
	private void reconnectOnA(String t1) throws Exception {
		assertThat(this.alice.callbackOn(this.instanceA, this.alice.startConnectOn(this.instanceA))).isEqualTo("/");
		String t2 = this.alice.storedToken();
		assertThat(t2).isNotEqualTo(t1);
		assertThat(this.alice.xref.validTokens()).containsExactly(t2);
	}

	private void assertTenantStillConnectedWith(String token) {
		assertThat(this.eventsOnB).isEmpty();
		assertThat(this.alice.xref.validTokens()).containsExactly(token);
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { this.instanceA,
				this.instanceB }) {
			assertThat(instance.getBean(XrefAccountStore.class).findByTenant("alice")).map(XrefConnection::accessToken)
				.contains(token);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Instance {

	}

}
