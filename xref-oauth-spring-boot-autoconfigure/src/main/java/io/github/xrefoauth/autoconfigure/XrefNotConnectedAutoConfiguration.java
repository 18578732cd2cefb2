package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.web.DefaultXrefNotConnectedHandler;
import io.github.xrefoauth.web.XrefNotConnectedHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link XrefNotConnectedHandler}
 * that {@code XrefConfigurer} puts in every filter chain: a request that fails because
 * the tenant has no Xref connection sends a browser to connect, and gets a problem detail
 * otherwise, instead of a 500. Off with
 * {@code xref.oauth.not-connected-handling.enabled=false}.
 */
@AutoConfiguration(after = XrefOAuthAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(EnableWebSecurity.class)
@ConditionalOnBooleanProperty(name = "xref.oauth.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "xref.oauth.not-connected-handling.enabled", matchIfMissing = true)
@ConditionalOnBean(XrefOAuthProperties.class)
public final class XrefNotConnectedAutoConfiguration {

	/**
	 * The application's rules are read when a request needs them: Spring Security's
	 * evaluator depends on the filter chains that this handler is part of.
	 */
	@Bean
	@ConditionalOnMissingBean
	DefaultXrefNotConnectedHandler xrefNotConnectedHandler(
			ObjectProvider<WebInvocationPrivilegeEvaluator> privilegeEvaluator,
			ObjectProvider<SecurityContextHolderStrategy> securityContextHolderStrategy) {
		DefaultXrefNotConnectedHandler handler = new DefaultXrefNotConnectedHandler(privilegeEvaluator::getIfUnique);
		securityContextHolderStrategy.ifUnique(handler::setSecurityContextHolderStrategy);
		return handler;
	}

}
