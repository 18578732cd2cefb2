package io.github.xrefoauth.autoconfigure;

import java.net.InetAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.xrefoauth.account.InMemoryXrefAccountStore;
import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.client.XrefRequestAttributes;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import io.github.xrefoauth.web.HttpSessionXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class XrefJdbcStoreAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/integrations/xref" };

	private static final String[] KEYS = {
			"xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
			"xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=" };

	private static final String TOKEN = "cb6f0e5d9a8b4c3d2e1f0a9b8c7d1e31";

	private static final String OTHER_SECRET = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class,
						XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class))
		.withPropertyValues(REQUIRED);

	@Test
	void withoutDataSourceTheInMemoryStoreIsUsed() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefJdbcStoreAutoConfiguration.class, XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.run((context) -> assertThat(context).hasSingleBean(InMemoryXrefAccountStore.class)
				.doesNotHaveBean(JdbcXrefAccountStore.class));
	}

	@Test
	void withDataSourceTheJdbcStoreIsUsedOnTheCreatedSchema() {
		this.contextRunner.withPropertyValues(database()).withPropertyValues(KEYS).run((context) -> {
			assertThat(context).hasSingleBean(JdbcXrefAccountStore.class)
				.hasSingleBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class)
				.doesNotHaveBean(InMemoryXrefAccountStore.class);
			XrefAccountStore store = context.getBean(XrefAccountStore.class);
			store.save("tenant-a", connection());
			assertThat(store.findByTenant("tenant-a")).contains(connection());
			assertThat(storedToken(context.getBean(DataSource.class))).startsWith("k1:").doesNotContain(TOKEN);
		});
	}

	@Test
	void storeTypeMemoryKeepsTheInMemoryStoreBesideADataSource() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues("xref.oauth.store.type=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryXrefAccountStore.class)
				.doesNotHaveBean(JdbcXrefAccountStore.class)
				.doesNotHaveBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void storeTypeJdbcWithoutDataSourceFailsWithAnAnalysis() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefJdbcStoreAutoConfiguration.class, XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.type is 'jdbc'")
					.contains("no DataSource");
				assertThat(analysis.getAction()).contains("spring.datasource.url").contains("xref.oauth.store.type");
			});
	}

	@Test
	void missingEncryptionKeyFailsWithAnAnalysis() {
		this.contextRunner.withPropertyValues(database()).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("xref.oauth.store.jdbc.encryption.keys is not set");
			assertThat(analysis.getAction()).contains("xref.oauth.store.jdbc.encryption.keys.<key-id>.secret")
				.contains("xref.oauth.store.jdbc.encryption.hash-key")
				.contains("xref.oauth.store.jdbc.encryption.allow-plaintext=true");
		});
	}

	@Test
	void invalidHashKeyFailsWithAnAnalysisThatDoesNotShowTheKey() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS[0], "xref.oauth.store.jdbc.encryption.hash-key=c2hvcnQ=")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.jdbc.encryption.hash-key")
					.doesNotContain("c2hvcnQ=");
			});
	}

	@Test
	void allowPlaintextStartsWithoutKeyAndStoresPlainValues() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues("xref.oauth.store.jdbc.encryption.allow-plaintext=true")
			.run((context) -> {
				context.getBean(XrefAccountStore.class).save("tenant-a", connection());
				assertThat(storedToken(context.getBean(DataSource.class))).isEqualTo("plain:" + TOKEN);
			});
	}

	@Test
	void initializeSchemaNeverUsesTablesCreatedBeforehand() {
		String[] database = database();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=always")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcXrefAccountStore.class)
					.doesNotHaveBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class);
				context.getBean(XrefAccountStore.class).save("tenant-a", connection());
			});
	}

	@Test
	void initializeSchemaNeverOnAnEmptyDatabaseFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref_account")
					.contains("xref.oauth.store.jdbc.initialize-schema is 'never'");
				assertThat(analysis.getAction()).contains("Set xref.oauth.store.jdbc.initialize-schema to 'always'")
					.contains("classpath:io/github/xrefoauth/jdbc/schema-h2.sql")
					.contains("Flyway or Liquibase");
			});
	}

	@Test
	void accountTableOfAnEarlierVersionFailsNamingTheMigrationScript() {
		String[] database = database();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=always")
			.run((context) -> JdbcClient.create(context.getBean(DataSource.class))
				.sql("ALTER TABLE xref_account DROP COLUMN checked_at")
				.update());
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=always")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref_account").contains("checked_at");
				assertThat(analysis.getAction())
					.contains("the script io/github/xrefoauth/jdbc/migrate-0.1.0-connection-health-h2.sql");
			});
	}

	@Test
	void tableOfPendingConnectsIsCheckedToo() {
		String[] database = database();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=always")
			.run((context) -> JdbcClient.create(context.getBean(DataSource.class))
				.sql("DROP TABLE xref_authorization_request")
				.update());
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class,
							XrefOAuthAutoConfiguration.class, XrefWebSecurityAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription())
					.contains("xref_authorization_request");
			});
	}

	@Test
	void userAccountStoreMakesTheJdbcStoreBackOffWithoutAskingForKeys() {
		this.contextRunner.withPropertyValues(database())
			.withBean(XrefAccountStore.class, InMemoryXrefAccountStore::new)
			.run((context) -> assertThat(context).hasSingleBean(XrefAccountStore.class)
				.doesNotHaveBean(JdbcXrefAccountStore.class)
				.doesNotHaveBean(XrefTokenCipher.class)
				.doesNotHaveBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void userAccountStoreInAServletApplicationKeepsPendingConnectsInTheDatabase() {
		webContextRunner().withPropertyValues(database())
			.withBean(XrefAccountStore.class, InMemoryXrefAccountStore::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcXrefAuthorizationRequestRepository.class)
					.hasSingleBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class)
					.doesNotHaveBean(JdbcXrefAccountStore.class)
					.doesNotHaveBean(XrefTokenCipher.class);
				assertThat(count(context.getBean(DataSource.class), "xref_authorization_request")).isZero();
			});
	}

	@Test
	void userAuthorizationRequestRepositoryReplacesTheJdbcOne() {
		webContextRunner().withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withBean(XrefAuthorizationRequestRepository.class, HttpSessionXrefAuthorizationRequestRepository::new)
			.run((context) -> assertThat(context).hasSingleBean(XrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(JdbcXrefAuthorizationRequestRepository.class)
				.hasSingleBean(JdbcXrefAccountStore.class));
	}

	@Test
	void userTokenCipherIsUsedWithoutKeys() {
		this.contextRunner.withPropertyValues(database())
			.withBean(XrefTokenCipher.class, XrefTokenCipher::plaintext)
			.run((context) -> {
				assertThat(context).hasSingleBean(XrefTokenCipher.class).hasSingleBean(JdbcXrefAccountStore.class);
				context.getBean(XrefAccountStore.class).save("tenant-a", connection());
				assertThat(storedToken(context.getBean(DataSource.class))).isEqualTo("plain:" + TOKEN);
			});
	}

	@Test
	void withoutSpringJdbcTheInMemoryStoreIsUsed() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withClassLoader(new FilteredClassLoader(JdbcClient.class))
			.run((context) -> assertThat(context).hasSingleBean(InMemoryXrefAccountStore.class)
				.doesNotHaveBean(JdbcXrefAccountStore.class)
				.doesNotHaveBean(XrefTokenCipher.class));
	}

	@Test
	void storeTypeJdbcWithoutSpringJdbcFailsWithAnAnalysis() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.withClassLoader(new FilteredClassLoader(JdbcClient.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.type is 'jdbc'")
					.contains("spring-jdbc");
				assertThat(analysis.getAction()).contains("xref.oauth.store.type");
			});
	}

	@Test
	void storeTypeJdbcWithoutSpringBootJdbcFailsWithAnAnalysis() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc.init"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.type is 'jdbc'")
					.contains("spring-boot-jdbc");
				assertThat(analysis.getAction()).contains("spring-boot-starter-jdbc").contains("xref.oauth.store.type");
			});
	}

	@Test
	void storeTypeJdbcWithAStoreOfTheApplicationsOwnNeedsNoDataSource() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefJdbcStoreAutoConfiguration.class, XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.withBean("ownStore", XrefAccountStore.class, InMemoryXrefAccountStore::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(XrefAccountStore.class)
				.hasBean("ownStore"));
	}

	@Test
	void storeTypeJdbcWithoutTheJdbcStoreAutoConfigurationFailsWithAnAnalysis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.withBean(DataSource.class,
					() -> new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
						.generateUniqueName(true)
						.build())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.type is 'jdbc'")
					.contains("auto-configuration did not apply")
					.doesNotContain("none of them is primary");
				assertThat(analysis.getAction()).contains("XrefJdbcStoreAutoConfiguration");
			});
	}

	@Test
	void withoutSpringSecurityOAuth2ClientNothingIsConfigured() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withClassLoader(new FilteredClassLoader(ClientRegistration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(XrefAccountStore.class)
				.doesNotHaveBean(XrefTokenCipher.class)
				.doesNotHaveBean(XrefJdbcStoreDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void twoDataSourcesWithoutPrimaryKeepTheInMemoryStore() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefJdbcStoreAutoConfiguration.class, XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withUserConfiguration(TwoDataSources.class)
			.run((context) -> assertThat(context).hasSingleBean(InMemoryXrefAccountStore.class)
				.doesNotHaveBean(JdbcXrefAccountStore.class));
	}

	@Test
	void storeTypeJdbcWithTwoDataSourcesWithoutPrimaryFailsWithAnAnalysis() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(XrefJdbcStoreAutoConfiguration.class, XrefOAuthAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues("xref.oauth.store.type=jdbc")
			.withUserConfiguration(TwoDataSources.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.type is 'jdbc'")
					.contains("2 DataSources and none of them is primary");
				assertThat(analysis.getAction()).contains("@Primary").contains("xref.oauth.store.type");
			});
	}

	@Test
	void negativeCacheTtlFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.cache-ttl=-5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.jdbc.cache-ttl is negative");
				assertThat(analysis.getAction()).contains("xref.oauth.store.jdbc.cache-ttl");
			});
	}

	@Test
	void storeReadsTheChangeFeedWhileTheApplicationRuns() {
		this.contextRunner.withPropertyValues(database()).withPropertyValues(KEYS).run((context) -> {
			JdbcXrefAccountStore store = context.getBean(JdbcXrefAccountStore.class);
			assertThat(store.isRunning()).isTrue();
			context.close();
			assertThat(store.isRunning()).isFalse();
		});
	}

	@Test
	void zeroChangePollIntervalFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.change-poll-interval=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("xref.oauth.store.jdbc.change-poll-interval is not positive");
				assertThat(analysis.getAction()).contains("xref.oauth.store.jdbc.change-poll-interval");
			});
	}

	@Test
	void passwordInsteadOfSecretIsNotAKey() {
		this.contextRunner.withPropertyValues(database())
			.withPropertyValues("xref.oauth.store.jdbc.encryption.keys.k1.password=correct horse battery staple",
					"xref.oauth.store.jdbc.encryption.keys.k1.salt=5c0744940b5c369b", KEYS[1])
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("xref.oauth.store.jdbc.encryption.keys is not set");
				assertThat(analysis.getAction()).contains("xref.oauth.store.jdbc.encryption.keys.<key-id>.secret");
			});
	}

	@Test
	void servletApplicationKeepsAuthorizationRequestsInTheDatabase() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class,
							XrefOAuthAutoConfiguration.class, XrefWebSecurityAutoConfiguration.class))
			.withPropertyValues(REQUIRED)
			.withPropertyValues(database())
			.withPropertyValues(KEYS)
			.run((context) -> assertThat(context).hasSingleBean(XrefAuthorizationRequestRepository.class)
				.hasSingleBean(JdbcXrefAuthorizationRequestRepository.class)
				.doesNotHaveBean(HttpSessionXrefAuthorizationRequestRepository.class));
	}

	@Test
	void restartedApplicationCallsXrefWithTheStoredToken() throws Exception {
		String[] database = database();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.run((context) -> context.getBean(XrefAccountStore.class).save("tenant-a", connection()));
		try (MockWebServer xref = new MockWebServer()) {
			xref.start(InetAddress.getLoopbackAddress(), 0);
			xref.enqueue(new MockResponse.Builder().code(200).build());
			this.contextRunner.withPropertyValues(database)
				.withPropertyValues(KEYS)
				.withPropertyValues("xref.oauth.api-uri=" + xref.url("/").toString().replaceAll("/$", ""))
				.run((context) -> context.getBean(XrefClientAutoConfiguration.REST_CLIENT_BEAN_NAME, RestClient.class)
					.post()
					.uri("/auth")
					.attributes(XrefRequestAttributes.account("account-1"))
					.retrieve()
					.toBodilessEntity());
			RecordedRequest request = xref.takeRequest(1, TimeUnit.SECONDS);
			assertThat(request).isNotNull();
			assertThat(request.getHeaders().get("Authorization")).isEqualTo("Token " + TOKEN);
		}
	}

	@Test
	void storedTokensOfAKeyThatIsNotConfiguredFailStartUpNamingTheKeyAndTheProperty() {
		String[] database = databaseWithATokenOfKeyK1();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues("xref.oauth.store.jdbc.encryption.keys.k2.secret=" + OTHER_SECRET, KEYS[1])
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("key 'k1', which is not configured")
					.contains("xref.oauth.store.jdbc.encryption.keys.k1.secret is not set")
					.doesNotContain(TOKEN);
				assertThat(analysis.getAction()).contains("Set xref.oauth.store.jdbc.encryption.keys.k1.secret")
					.contains("reencryptAll()");
			});
	}

	@Test
	void storedTokensThatTheConfiguredKeyDoesNotDecryptFailStartUpNamingTheKeyAndTheProperty() {
		String[] database = databaseWithATokenOfKeyK1();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues("xref.oauth.store.jdbc.encryption.keys.k1.secret=" + OTHER_SECRET, KEYS[1])
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("key 'k1'")
					.contains("xref.oauth.store.jdbc.encryption.keys.k1.secret does not decrypt them")
					.contains("account-1")
					.doesNotContain(TOKEN)
					.doesNotContain(OTHER_SECRET)
					.doesNotContain("padding");
				assertThat(analysis.getAction()).contains("Set xref.oauth.store.jdbc.encryption.keys.k1.secret")
					.contains("new key id");
			});
	}

	@Test
	void storedTokensOfAnOlderKeyStartWhileThatKeyIsConfigured() {
		String[] database = databaseWithATokenOfKeyK1();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.withPropertyValues("xref.oauth.store.jdbc.encryption.keys.k2.secret=" + OTHER_SECRET,
					"xref.oauth.store.jdbc.encryption.current-key-id=k2")
			.run((context) -> assertThat(context.getBean(XrefAccountStore.class).findByTenant("tenant-a"))
				.contains(connection()));
	}

	@Test
	void encryptedStoredTokensFailStartUpWithPlaintextOnly() {
		String[] database = databaseWithATokenOfKeyK1();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues("xref.oauth.store.jdbc.encryption.allow-plaintext=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getAction())
					.contains("xref.oauth.store.jdbc.encryption.keys.k1.secret");
			});
	}

	@Test
	void autoConfigurationAndFailureAnalyzerAreRegistered() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ImportCandidates.load(AutoConfiguration.class, classLoader))
			.contains(XrefJdbcStoreAutoConfiguration.class.getName());
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(classLoader)
			.load(FailureAnalyzer.class, null, (factoryType, name, failure) -> {
				// analyzers of other modules that need constructor arguments
			})).hasAtLeastOneElementOfType(XrefJdbcStoreConfigurationFailureAnalyzer.class);
	}

	private WebApplicationContextRunner webContextRunner() {
		return new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, XrefJdbcStoreAutoConfiguration.class,
							XrefOAuthAutoConfiguration.class, XrefWebSecurityAutoConfiguration.class))
			.withPropertyValues(REQUIRED);
	}

	private static int count(DataSource dataSource, String table) {
		return JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
	}

	private String[] databaseWithATokenOfKeyK1() {
		String[] database = database();
		this.contextRunner.withPropertyValues(database)
			.withPropertyValues(KEYS)
			.run((context) -> context.getBean(XrefAccountStore.class).save("tenant-a", connection()));
		return database;
	}

	private static String[] database() {
		return new String[] { "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.datasource.generate-unique-name=false" };
	}

	private static String storedToken(DataSource dataSource) {
		return JdbcClient.create(dataSource).sql("SELECT access_token FROM xref_account").query(String.class).single();
	}

	private static XrefConnection connection() {
		return new XrefConnection("account-1", TOKEN, Instant.parse("2026-01-01T10:00:00Z"), "alice");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new XrefJdbcStoreConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource first() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		DataSource second() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

	}

}
