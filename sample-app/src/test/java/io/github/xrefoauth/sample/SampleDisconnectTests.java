package io.github.xrefoauth.sample;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.mockito.stubbing.Answer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willReturn;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * What the dashboard says when Xref refuses to revoke a token, and after a late rejection
 * of a token that a reconnect replaced.
 */
@SpringBootTest(properties = "sample.simulator.enabled=false")
@AutoConfigureMockMvc
class SampleDisconnectTests {

	private static final String ACCOUNT_ID = "acme-account";

	private static final String DATABASE_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private static final XrefSimulator xref = XrefSimulator.start();

	@Autowired
	private MockMvcTester mvc;

	@MockitoSpyBean
	private XrefAccountStore accountStore;

	@Autowired
	private XrefHealthCheck healthCheck;

	@DynamicPropertySource
	static void simulatorAndOwnDatabase(DynamicPropertyRegistry registry) {
		registry.add("xref.oauth.api-uri", xref::baseUrl);
		registry.add("spring.datasource.url", () -> DATABASE_URL);
	}

	/**
	 * The health check's scheduled ticks call {@code POST /auth} too; here they claim
	 * nothing, so that the answers these tests set for Xref go to the calls they make.
	 */
	@BeforeEach
	void noScheduledChecks() {
		willReturn(List.of()).given(this.accountStore)
			.claimForCheck(any(), eq(this.healthCheck.getInterval()), anyInt());
	}

	@AfterEach
	void forgetTheConnection() {
		this.accountStore.deleteAccount(ACCOUNT_ID);
	}

	@AfterAll
	static void stopSimulator() {
		xref.close();
	}

	@Test
	void disconnectThatXrefRefusesOffersForgetWhichEndsTheConnectionOnlyHere() {
		connectAcme("token-1");
		xref.overrideNextResponse("/oauth/deauthorize",
				new MockResponse.Builder().code(403)
					.addHeader("Content-Type", "application/json")
					.body("{\"error\":\"forbidden\"}")
					.build());

		assertThat(this.mvc.post().uri("/xref/disconnect").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.REFUSED)
			.containsEntry("offerForget", true);
		assertThat(this.accountStore.findByTenant("acme")).isPresent();
		assertThat(this.mvc.get()
			.uri("/")
			.with(user("bob"))
			.flashAttr("notice", Notice.REFUSED)
			.flashAttr("offerForget", true)).bodyText().contains(Notice.REFUSED.getText()).contains("id=\"forget\"");
		assertThat(this.mvc.get().uri("/").with(user("bob"))).bodyText().doesNotContain("id=\"forget\"");

		assertThat(this.mvc.post().uri("/xref/forget").with(user("bob")).with(csrf())).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.FORGOTTEN);
		assertThat(this.accountStore.findByTenant("acme")).isEmpty();
		assertThat(Notice.FORGOTTEN.getText()).contains("may still be valid at Xref");
	}

	@Test
	void lateRejectionOfTheTokenThatAReconnectReplacedSaysTheNewerConnectionIsKept() {
		assertThat(postWhileAnotherMemberReconnects("/xref/verify", "/auth")).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.REPLACED);
		assertThat(this.accountStore.findByTenant("acme")).get()
			.extracting(XrefConnection::accessToken)
			.isEqualTo("token-new");
		assertThat(Notice.REPLACED.getText()).doesNotContain("removed");
	}

	@Test
	void disconnectWhileAnotherMemberReconnectsSaysTheNewerConnectionIsKept() {
		assertThat(postWhileAnotherMemberReconnects("/xref/disconnect", "/oauth/deauthorize")).hasStatus3xxRedirection()
			.flash()
			.containsEntry("notice", Notice.RECONNECTED_MEANWHILE);
		assertThat(this.accountStore.findByTenant("acme")).get()
			.extracting(XrefConnection::accessToken)
			.isEqualTo("token-new");
	}

	/**
	 * Bob posts to the sample with {@code token-old}, which Xref rejects; another member
	 * of acme connects again with {@code token-new} after the sample read
	 * {@code token-old} and before the first deletion of {@code token-old} that the
	 * rejection leads to. The store is where that moment is caught, so no timing decides
	 * the order.
	 */
	private MvcTestResult postWhileAnotherMemberReconnects(String samplePath, String xrefPath) {
		connectAcme("token-old");
		xref.overrideNextResponse(xrefPath,
				new MockResponse.Builder().code(401)
					.addHeader("Content-Type", "application/json")
					.body("{\"error\":\"unauthorized\"}")
					.build());
		xref.clearRequests();
		AtomicBoolean reconnected = new AtomicBoolean();
		Answer<Object> reconnectFirst = (invocation) -> {
			if (reconnected.compareAndSet(false, true)) {
				connectAcme("token-new");
			}
			return invocation.callRealMethod();
		};
		// A rejection keeps the record (reject); a disconnect deletes the token.
		willAnswer(reconnectFirst).given(this.accountStore)
			.reject(argThat((connection) -> connection.accessToken().equals("token-old")), any(), any());
		willAnswer(reconnectFirst).given(this.accountStore).deleteByAccessToken("token-old");
		MvcTestResult result = this.mvc.post().uri(samplePath).with(user("bob")).with(csrf()).exchange();
		assertThat(xref.requests(xrefPath)).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token token-old"));
		assertThat(reconnected).as("reconnected between Xref's rejection and its handling").isTrue();
		return result;
	}

	private void connectAcme(String token) {
		this.accountStore.save("acme", new XrefConnection(ACCOUNT_ID, token, Instant.now(), "alice"));
	}

}
