package io.github.xrefoauth.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.xrefoauth.authorizedclient.XrefAuthorizedClients;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientManager;
import io.github.xrefoauth.authorizedclient.XrefOAuth2AuthorizedClientService;
import io.github.xrefoauth.web.XrefOAuth2AuthorizedClientRepository;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.client.AuthorizationCodeOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.DelegatingOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.RefreshTokenOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.AuthenticatedPrincipalOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;

/**
 * Spring Security's authorized clients with {@code xref} answered by
 * {@link XrefAuthorizedClients}: the service and repository built as Spring Boot and
 * Spring Security build theirs, and the manager. Two places in the order of
 * auto-configurations: {@link XrefAuthorizedClientAutoConfiguration} imports
 * {@link ApplicationRegistrationsConfiguration}, which must come before Spring Boot's
 * OAuth 2 client auto-configuration so that Boot's service backs off, and
 * {@link XrefWebSecurityAutoConfiguration} imports {@link ManagerConfiguration}, which
 * must come after Spring Boot's OAuth 2 client auto-configurations so that its beans do
 * not make Spring Boot switch the application to {@code oauth2Login()}.
 */
final class XrefAuthorizedClientConfigurations {

	static final String BOOT_OAUTH2_CLIENT_AUTO_CONFIGURATION = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration";

	static final String BOOT_OAUTH2_CLIENT_WEB_SECURITY_AUTO_CONFIGURATION = "org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration";

	/** Spring Security's answer for an id that no registration has. */
	private static final ClientRegistrationRepository NO_REGISTRATIONS = (registrationId) -> null;

	private XrefAuthorizedClientConfigurations() {
	}

	/**
	 * The service and repository that Spring Boot would make, with {@code xref} scoped to
	 * the Xref account: {@code InMemoryOAuth2AuthorizedClientService} and
	 * {@code AuthenticatedPrincipalOAuth2AuthorizedClientRepository} for every other id.
	 */
	abstract static class ServiceAndRepositoryConfiguration {

		@Bean
		@Lazy
		@ConditionalOnMissingBean(OAuth2AuthorizedClientService.class)
		XrefOAuth2AuthorizedClientService xrefAuthorizedClientService(XrefAuthorizedClients xrefClients,
				ObjectProvider<ClientRegistrationRepository> registrations) {
			return new XrefOAuth2AuthorizedClientService(xrefClients,
					new InMemoryOAuth2AuthorizedClientService(registrations.getIfUnique(() -> NO_REGISTRATIONS)));
		}

		@Bean
		@Lazy
		@ConditionalOnMissingBean(OAuth2AuthorizedClientRepository.class)
		XrefOAuth2AuthorizedClientRepository xrefAuthorizedClientRepository(XrefAuthorizedClients xrefClients,
				OAuth2AuthorizedClientService authorizedClientService) {
			return new XrefOAuth2AuthorizedClientRepository(xrefClients,
					new AuthenticatedPrincipalOAuth2AuthorizedClientRepository(authorizedClientService));
		}

	}

	/**
	 * With OAuth 2 client registrations of the application's own: the service and
	 * repository, registered before Spring Boot's, which then back off.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnApplicationRegistrationsCondition.class)
	static class ApplicationRegistrationsConfiguration extends ServiceAndRepositoryConfiguration {

	}

	/**
	 * The {@link OAuth2AuthorizedClientManager} that
	 * {@code @RegisteredOAuth2AuthorizedClient} and the application use: {@code xref} is
	 * scoped to the Xref account, every other registration goes to the manager Spring
	 * Security would make. Without registrations of the application's own, also the
	 * service and repository: registered after Spring Boot's conditions have been
	 * evaluated, they do not switch on its OAuth 2 login. It adds no
	 * {@link ClientRegistrationRepository}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(XrefAuthorizedClients.class)
	static class ManagerConfiguration extends ServiceAndRepositoryConfiguration {

		@Bean
		@ConditionalOnMissingBean(OAuth2AuthorizedClientManager.class)
		XrefOAuth2AuthorizedClientManager xrefAuthorizedClientManager(XrefAuthorizedClients xrefClients,
				ObjectProvider<ClientRegistrationRepository> registrations,
				ObjectProvider<OAuth2AuthorizedClientRepository> authorizedClientRepository,
				ObjectProvider<OAuth2AuthorizedClientProvider> providers, ApplicationEventPublisher eventPublisher,
				ObjectProvider<Consumer<DefaultOAuth2AuthorizedClientManager>> managerCustomizer) {
			ClientRegistrationRepository applicationRegistrations = registrations.getIfUnique();
			OAuth2AuthorizedClientManager applicationManager = (applicationRegistrations != null)
					? applicationManager(applicationRegistrations, authorizedClientRepository.getObject(), providers,
							eventPublisher, managerCustomizer)
					: null;
			return new XrefOAuth2AuthorizedClientManager(xrefClients, applicationManager);
		}

	}

	/**
	 * The manager Spring Security would make for the application's own registrations: its
	 * default providers, each replaced by a bean of the same type, plus any other
	 * provider beans (a single {@link DelegatingOAuth2AuthorizedClientProvider} bean is
	 * used alone), and a {@code Consumer<DefaultOAuth2AuthorizedClientManager>} bean.
	 */
	private static OAuth2AuthorizedClientManager applicationManager(ClientRegistrationRepository registrations,
			OAuth2AuthorizedClientRepository repository, ObjectProvider<OAuth2AuthorizedClientProvider> providerBeans,
			ApplicationEventPublisher eventPublisher,
			ObjectProvider<Consumer<DefaultOAuth2AuthorizedClientManager>> managerCustomizer) {
		DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations,
				repository);
		List<OAuth2AuthorizedClientProvider> beans = providerBeans.orderedStream().toList();
		if (beans.size() == 1 && beans.get(0) instanceof DelegatingOAuth2AuthorizedClientProvider delegating) {
			manager.setAuthorizedClientProvider(delegating);
		}
		else {
			manager.setAuthorizedClientProvider(defaultProviders(beans, eventPublisher));
		}
		managerCustomizer.ifUnique((customizer) -> customizer.accept(manager));
		return manager;
	}

	private static OAuth2AuthorizedClientProvider defaultProviders(List<OAuth2AuthorizedClientProvider> beans,
			ApplicationEventPublisher eventPublisher) {
		RefreshTokenOAuth2AuthorizedClientProvider refreshToken = beanOrNew(beans,
				RefreshTokenOAuth2AuthorizedClientProvider.class, RefreshTokenOAuth2AuthorizedClientProvider::new);
		refreshToken.setApplicationEventPublisher(eventPublisher);
		List<OAuth2AuthorizedClientProvider> providers = new ArrayList<>();
		providers.add(beanOrNew(beans, AuthorizationCodeOAuth2AuthorizedClientProvider.class,
				AuthorizationCodeOAuth2AuthorizedClientProvider::new));
		providers.add(refreshToken);
		providers.add(beanOrNew(beans, ClientCredentialsOAuth2AuthorizedClientProvider.class,
				ClientCredentialsOAuth2AuthorizedClientProvider::new));
		beans.stream().filter((bean) -> !providers.contains(bean)).forEach(providers::add);
		return new DelegatingOAuth2AuthorizedClientProvider(providers);
	}

	private static <T extends OAuth2AuthorizedClientProvider> T beanOrNew(List<OAuth2AuthorizedClientProvider> beans,
			Class<T> type, Supplier<T> factory) {
		return beans.stream().filter(type::isInstance).map(type::cast).findFirst().orElseGet(factory);
	}

	/**
	 * Matches when the application has OAuth 2 client registrations of its own: a
	 * {@link ClientRegistrationRepository} bean, or registration properties that Spring
	 * Boot turns into one.
	 */
	static class OnApplicationRegistrationsCondition extends AnyNestedCondition {

		OnApplicationRegistrationsCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(ClientRegistrationRepository.class)
		static class RepositoryBean {

		}

		@ConditionalOnClass(name = BOOT_OAUTH2_CLIENT_AUTO_CONFIGURATION)
		@Conditional(RegistrationPropertiesCondition.class)
		static class RegistrationProperties {

		}

	}

	/**
	 * Matches when {@code spring.security.oauth2.client.registration.*} is set, as Spring
	 * Boot's own condition does.
	 */
	static class RegistrationPropertiesCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("OAuth 2 client registration properties");
			Map<String, String> registrations = Binder.get(context.getEnvironment())
				.bind("spring.security.oauth2.client.registration", Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
			return registrations.isEmpty() ? ConditionOutcome.noMatch(message.notAvailable("registrations"))
					: ConditionOutcome.match(message.available("registrations"));
		}

	}

}
