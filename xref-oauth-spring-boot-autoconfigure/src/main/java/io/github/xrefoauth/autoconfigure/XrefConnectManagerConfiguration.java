package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.connect.XrefConnectManager;
import io.github.xrefoauth.connect.XrefConnectOutcomes;
import io.github.xrefoauth.internal.XrefEventPublisher;
import io.github.xrefoauth.token.XrefTokenClient;
import io.github.xrefoauth.token.XrefTokenRevoker;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The {@link XrefConnectManager} that the callback handler of either web stack hands the
 * code to, imported by {@link XrefWebSecurityAutoConfiguration} and
 * {@link XrefReactiveWebSecurityAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class XrefConnectManagerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	XrefConnectManager xrefConnectManager(XrefTokenClient tokenClient, XrefAccountStore accountStore,
			XrefConnectOutcomes connectOutcomes, ObjectProvider<XrefTokenRevoker> tokenRevoker,
			ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
		XrefConnectManager completion = new XrefConnectManager(tokenClient, accountStore);
		completion.setConnectOutcomes(connectOutcomes);
		tokenRevoker.ifUnique(completion::setTokenRevoker);
		completion.setApplicationEventPublisher(new XrefEventPublisher(eventPublisher));
		observationRegistry.ifUnique(completion::setObservationRegistry);
		return completion;
	}

}
