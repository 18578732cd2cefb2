package io.github.xrefoauth.autoconfigure;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import io.github.xrefoauth.web.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.JdbcServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.web.server.ServerXrefAuthorizationRequestRepository;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/**
 * {@link AutoConfiguration Auto-configuration} of the JDBC account store and the JDBC
 * authorization request repository when the application has a single {@link DataSource}
 * and {@code xref.oauth.store.type} is {@code auto} or {@code jdbc}. With {@code jdbc},
 * start-up fails without the store's tables; without spring-jdbc or a single
 * {@code DataSource}, {@code XrefOAuthAutoConfiguration} fails it (see
 * {@code XrefJdbcStoreConfigurationException#noJdbcStore}). It runs before
 * {@link XrefOAuthAutoConfiguration}, whose in-memory store then backs off, and so checks
 * {@code xref.oauth.enabled} itself.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = { XrefOAuthAutoConfiguration.class, XrefReactiveWebSecurityAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ ClientRegistration.class, JdbcClient.class, DatabaseInitializationProperties.class })
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@Conditional({ OnJdbcStoreTypeCondition.class, XrefJdbcStoreAutoConfiguration.OnJdbcStoreUsedCondition.class })
@EnableConfigurationProperties(XrefJdbcStoreProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class XrefJdbcStoreAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnXrefJdbcStoreInitializationCondition.class)
	XrefJdbcStoreDataSourceScriptDatabaseInitializer xrefJdbcStoreDataSourceScriptDatabaseInitializer(
			DataSource dataSource, XrefJdbcStoreProperties properties) {
		return new XrefJdbcStoreDataSourceScriptDatabaseInitializer(dataSource, properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(XrefAccountStore.class)
	static class JdbcAccountStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		XrefTokenCipher xrefTokenCipher(XrefJdbcStoreProperties properties) {
			return XrefTokenCipherFactory.create(properties.getEncryption());
		}

		@Bean
		@DependsOnDatabaseInitialization
		JdbcXrefAccountStore xrefAccountStore(DataSource dataSource, XrefTokenCipher tokenCipher,
				XrefJdbcStoreProperties properties) {
			XrefJdbcStoreSchema.check(dataSource, properties, XrefJdbcStoreSchema.ACCOUNT_TABLES);
			JdbcXrefAccountStore store = new JdbcXrefAccountStore(dataSource, tokenCipher);
			store.setCacheTimeToLive(properties.getCacheTtl());
			store.setCacheMaximumSize(properties.getCacheMaximumSize());
			store.setChangePollInterval(properties.getChangePollInterval());
			XrefStoredKeysCheck.check(store);
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnMissingBean(XrefAuthorizationRequestRepository.class)
	static class JdbcAuthorizationRequestConfiguration {

		@Bean
		@DependsOnDatabaseInitialization
		JdbcXrefAuthorizationRequestRepository xrefAuthorizationRequestRepository(DataSource dataSource,
				XrefJdbcStoreProperties properties,
				ObjectProvider<SecurityContextHolderStrategy> securityContextHolderStrategy) {
			XrefJdbcStoreSchema.check(dataSource, properties, XrefJdbcStoreSchema.AUTHORIZATION_REQUEST_TABLE);
			JdbcXrefAuthorizationRequestRepository repository = new JdbcXrefAuthorizationRequestRepository(dataSource);
			securityContextHolderStrategy.ifUnique(repository::setSecurityContextHolderStrategy);
			return repository;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnMissingBean(ServerXrefAuthorizationRequestRepository.class)
	static class ReactiveJdbcAuthorizationRequestConfiguration {

		@Bean
		@DependsOnDatabaseInitialization
		JdbcServerXrefAuthorizationRequestRepository xrefServerAuthorizationRequestRepository(DataSource dataSource,
				XrefJdbcStoreProperties properties) {
			XrefJdbcStoreSchema.check(dataSource, properties, XrefJdbcStoreSchema.AUTHORIZATION_REQUEST_TABLE);
			return new JdbcServerXrefAuthorizationRequestRepository(dataSource);
		}

	}

	/**
	 * Matches when the JDBC store or the JDBC authorization request repository will be
	 * created: both need the tables. Evaluated before either registers its bean.
	 */
	static class OnJdbcStoreUsedCondition extends AnyNestedCondition {

		OnJdbcStoreUsedCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingBean(XrefAccountStore.class)
		static class AccountStore {

		}

		@ConditionalOnWebApplication(type = Type.SERVLET)
		@ConditionalOnMissingBean(XrefAuthorizationRequestRepository.class)
		static class AuthorizationRequestRepository {

		}

		@ConditionalOnWebApplication(type = Type.REACTIVE)
		@ConditionalOnMissingBean(ServerXrefAuthorizationRequestRepository.class)
		static class ServerAuthorizationRequestRepository {

		}

	}

}
