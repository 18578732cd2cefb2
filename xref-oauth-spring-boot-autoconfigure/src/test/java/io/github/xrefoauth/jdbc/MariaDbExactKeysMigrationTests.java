package io.github.xrefoauth.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.connect.XrefPendingRequestRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped script that makes the keys of tables created by an earlier MySQL schema
 * compare byte for byte, applied on MariaDB.
 */
class MariaDbExactKeysMigrationTests {

	private static final String MIGRATION = "io/github/xrefoauth/jdbc/migrate-0.1.0-exact-keys-mysql.sql";

	private static final String CONNECTION_HEALTH_MIGRATION = "io/github/xrefoauth/jdbc/migrate-0.1.0-connection-health-mysql.sql";

	private static final XrefConnection SARA = new XrefConnection("account-ren\u00e9", "token-sara",
			Instant.parse("2026-01-01T10:00:00.123Z"), "alice");

	private TestDatabase migrated;

	private TestDatabase fresh;

	@AfterEach
	void closeDatabases() {
		for (TestDatabase database : new TestDatabase[] { this.migrated, this.fresh }) {
			if (database != null) {
				database.close();
			}
		}
	}

	@Test
	void migratedTablesKeepTheirRowsAndKeepKeysThatDifferOnlyInTrailingSpacesApart() {
		this.migrated = TestDatabase.mariadb();
		createTheSchemaOfBeforeTheMigration(this.migrated);
		store(this.migrated.dataSource()).save("sara", SARA);
		pendingRequests(this.migrated.dataSource()).save(request("state-1"), "browser-1", "alice");
		assertThat(store(this.migrated.newDataSource()).findByTenant("sara ")).as("the old schema pads").contains(SARA);
		assertThat(pendingRequests(this.migrated.newDataSource()).find("state-1 ", "browser-1", "alice"))
			.as("the old schema pads")
			.isPresent();

		new ResourceDatabasePopulator(new ClassPathResource(MIGRATION)).execute(this.migrated.dataSource());

		JdbcXrefAccountStore store = store(this.migrated.newDataSource());
		assertThat(store.findByTenant("sara")).contains(SARA);
		assertThat(store.findByAccount("account-ren\u00e9")).contains(SARA);
		assertThat(store.findByTenant("sara ")).isEmpty();
		XrefConnection other = new XrefConnection("account-ren\u00e9 ", "token-other", Instant.EPOCH, "bob");
		store.save("sara ", other);
		assertThat(store.findByTenant("sara ")).contains(other);
		assertThat(store.findByTenant("sara")).contains(SARA);
		assertThat(store.deleteAccount("account-ren\u00e9 ")).isTrue();
		assertThat(store.findByTenant("sara ")).as("the tenant link goes with its account").isEmpty();
		assertThat(store.findByTenant("sara")).contains(SARA);
		assertThat(store.findByAccount("account-ren\u00e9")).contains(SARA);
		JdbcXrefPendingRequests pendingRequests = pendingRequests(this.migrated.newDataSource());
		assertThat(pendingRequests.find("state-1 ", "browser-1", "alice")).isEmpty();
		assertThat(pendingRequests.remove("state-1", "browser-1", "alice")).isNotNull();

		// The later migration brings the tables up to the current schema.
		new ResourceDatabasePopulator(new ClassPathResource(CONNECTION_HEALTH_MIGRATION))
			.execute(this.migrated.dataSource());
		this.fresh = TestDatabase.mariadb();
		assertThat(tableDefinitions(this.migrated)).isEqualTo(tableDefinitions(this.fresh));
	}

	private static void createTheSchemaOfBeforeTheMigration(TestDatabase database) {
		for (String table : List.of("xref_tenant", "xref_account", "xref_authorization_request")) {
			database.jdbc().sql("DROP TABLE " + table).update();
		}
		new ResourceDatabasePopulator(
				new ClassPathResource("io/github/xrefoauth/jdbc/schema-mysql-before-exact-keys.sql"))
			.execute(database.dataSource());
	}

	/**
	 * Returns the columns, indexes and foreign keys of the database's tables.
	 */
	private static List<List<Map<String, Object>>> tableDefinitions(TestDatabase database) {
		return List.of(
				database.jdbc()
					.sql("SELECT table_name, column_name, ordinal_position, column_type, is_nullable, collation_name"
							+ " FROM information_schema.columns WHERE table_schema = DATABASE()"
							+ " ORDER BY table_name, ordinal_position")
					.query()
					.listOfRows(),
				database.jdbc()
					.sql("SELECT table_name, index_name, seq_in_index, column_name, non_unique"
							+ " FROM information_schema.statistics WHERE table_schema = DATABASE()"
							+ " ORDER BY table_name, index_name, seq_in_index")
					.query()
					.listOfRows(),
				database.jdbc()
					.sql("SELECT constraint_name, table_name, referenced_table_name, delete_rule"
							+ " FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()")
					.query()
					.listOfRows());
	}

	private static JdbcXrefAccountStore store(DataSource dataSource) {
		return new JdbcXrefAccountStore(dataSource, TestCiphers.cipher("k1"));
	}

	private static JdbcXrefPendingRequests pendingRequests(DataSource dataSource) {
		return new JdbcXrefPendingRequests(dataSource, new XrefPendingRequestRules());
	}

	private static OAuth2AuthorizationRequest request(String state) {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.xref.com/oauth/open-api/client-1")
			.clientId("client-1")
			.redirectUri("https://platform.example/integrations/xref")
			.state(state)
			.attributes((attributes) -> attributes.put(OAuth2ParameterNames.REGISTRATION_ID, "xref"))
			.build();
	}

}
