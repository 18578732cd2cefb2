package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.autoconfigure.XrefOAuthProperties.StoreType;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code xref.oauth.store.type} is {@code memory}.
 */
class OnJdbcStoreTypeCondition extends SpringBootCondition {

	static final String PROPERTY = "xref.oauth.store.type";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		StoreType type = Binder.get(context.getEnvironment()).bind(PROPERTY, StoreType.class).orElse(StoreType.AUTO);
		ConditionMessage.Builder message = ConditionMessage.forCondition("Xref JDBC store type");
		return (type != StoreType.MEMORY) ? ConditionOutcome.match(message.because(PROPERTY + " is " + type))
				: ConditionOutcome.noMatch(message.because(PROPERTY + " is " + type));
	}

}
