package io.github.xrefoauth.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.account.jdbc.XrefTokenCipher;
import io.github.xrefoauth.authorize.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.jdbc.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.autoconfigure.XrefOAuthAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the JDBC account store and the JDBC
 * authorization request repository when the application has a {@link DataSource} and
 * {@code xref.oauth.store.type} is {@code auto} or {@code jdbc}. With {@code jdbc} and no
 * {@code DataSource}, start-up fails.
 */
@AutoConfiguration(before = XrefOAuthAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcClient.class, DatabaseInitializationProperties.class })
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@Conditional(OnJdbcStoreTypeCondition.class)
@EnableConfigurationProperties(XrefJdbcStoreProperties.class)
public final class XrefJdbcStoreAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(DataSource.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefTokenCipher xrefTokenCipher(XrefJdbcStoreProperties properties) {
			return XrefTokenCipherFactory.create(properties.getEncryption());
		}

		@Bean
		@ConditionalOnMissingBean(XrefAccountStore.class)
		@DependsOnDatabaseInitialization
		JdbcXrefAccountStore xrefAccountStore(DataSource dataSource, XrefTokenCipher tokenCipher,
				XrefJdbcStoreProperties properties) {
			JdbcXrefAccountStore store = new JdbcXrefAccountStore(dataSource, tokenCipher);
			store.setCacheTimeToLive(properties.getCacheTtl());
			return store;
		}

		@Bean
		@ConditionalOnMissingBean
		@Conditional(OnXrefJdbcStoreInitializationCondition.class)
		XrefJdbcStoreDataSourceScriptDatabaseInitializer xrefJdbcStoreDataSourceScriptDatabaseInitializer(
				DataSource dataSource, XrefJdbcStoreProperties properties) {
			return new XrefJdbcStoreDataSourceScriptDatabaseInitializer(dataSource, properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class JdbcAuthorizationRequestConfiguration {

		@Bean
		@ConditionalOnMissingBean(XrefAuthorizationRequestRepository.class)
		@DependsOnDatabaseInitialization
		JdbcXrefAuthorizationRequestRepository xrefAuthorizationRequestRepository(DataSource dataSource) {
			return new JdbcXrefAuthorizationRequestRepository(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DataSource.class)
	@ConditionalOnProperty(name = OnJdbcStoreTypeCondition.PROPERTY, havingValue = "jdbc")
	static class MissingDataSourceConfiguration {

		@Bean
		@ConditionalOnMissingBean(XrefAccountStore.class)
		XrefAccountStore xrefAccountStore() {
			throw new XrefJdbcStoreConfigurationException(
					OnJdbcStoreTypeCondition.PROPERTY + " is 'jdbc', but the application has no DataSource.",
					"Add a database (for example spring-boot-starter-jdbc and spring.datasource.url), or set "
							+ OnJdbcStoreTypeCondition.PROPERTY + " to 'auto' or 'memory'.");
		}

	}

}
