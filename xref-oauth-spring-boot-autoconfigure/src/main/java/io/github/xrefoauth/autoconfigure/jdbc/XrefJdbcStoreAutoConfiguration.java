package io.github.xrefoauth.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.account.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.account.jdbc.XrefTokenCipher;
import io.github.xrefoauth.authorize.XrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.jdbc.JdbcXrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.jdbc.reactive.JdbcServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.authorize.reactive.ServerXrefAuthorizationRequestRepository;
import io.github.xrefoauth.autoconfigure.XrefOAuthAutoConfiguration;
import io.github.xrefoauth.autoconfigure.XrefReactiveWebSecurityAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
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
 * start-up fails when the store cannot be set up: without spring-jdbc, without a single
 * {@code DataSource}, or without the store's tables.
 */
@AutoConfiguration(before = { XrefOAuthAutoConfiguration.class, XrefReactiveWebSecurityAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(ClientRegistration.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@Conditional(OnJdbcStoreTypeCondition.class)
public final class XrefJdbcStoreAutoConfiguration {

	private static final String JDBC_CLIENT = "org.springframework.jdbc.core.simple.JdbcClient";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ JdbcClient.class, DatabaseInitializationProperties.class })
	@ConditionalOnSingleCandidate(DataSource.class)
	@Conditional(OnJdbcStoreUsedCondition.class)
	@EnableConfigurationProperties(XrefJdbcStoreProperties.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class JdbcStoreConfiguration {

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
				JdbcXrefAuthorizationRequestRepository repository = new JdbcXrefAuthorizationRequestRepository(
						dataSource);
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

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcClient.class)
	@ConditionalOnProperty(name = OnJdbcStoreTypeCondition.PROPERTY, havingValue = "jdbc")
	@Conditional(OnNoSingleDataSourceCondition.class)
	static class NoSingleDataSourceConfiguration {

		@Bean
		@ConditionalOnMissingBean(XrefAccountStore.class)
		XrefAccountStore xrefAccountStore(ListableBeanFactory beanFactory) {
			int count = beanFactory.getBeanNamesForType(DataSource.class).length;
			String problem = (count == 0) ? "the application has no DataSource"
					: "the application has " + count + " DataSources and none of them is primary";
			throw new XrefJdbcStoreConfigurationException(
					OnJdbcStoreTypeCondition.PROPERTY + " is 'jdbc', but " + problem + ".",
					((count == 0) ? "Add a database (for example spring-boot-starter-jdbc and spring.datasource.url)"
							: "Mark the DataSource of the store @Primary, or define an XrefAccountStore bean")
							+ ", or set " + OnJdbcStoreTypeCondition.PROPERTY + " to 'auto' or 'memory'.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(JDBC_CLIENT)
	@ConditionalOnProperty(name = OnJdbcStoreTypeCondition.PROPERTY, havingValue = "jdbc")
	static class MissingSpringJdbcConfiguration {

		@Bean
		@ConditionalOnMissingBean(XrefAccountStore.class)
		XrefAccountStore xrefAccountStore() {
			throw new XrefJdbcStoreConfigurationException(
					OnJdbcStoreTypeCondition.PROPERTY + " is 'jdbc', but spring-jdbc is not on the classpath.",
					"Add spring-boot-starter-jdbc and a database driver, or set " + OnJdbcStoreTypeCondition.PROPERTY
							+ " to 'auto' or 'memory'.");
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

	/**
	 * Matches when there is no {@code DataSource} or several and none is primary.
	 */
	static class OnNoSingleDataSourceCondition extends NoneNestedConditions {

		OnNoSingleDataSourceCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnSingleCandidate(DataSource.class)
		static class SingleDataSource {

		}

	}

}
