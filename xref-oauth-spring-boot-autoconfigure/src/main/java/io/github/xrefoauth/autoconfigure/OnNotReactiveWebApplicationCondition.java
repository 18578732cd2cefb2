package io.github.xrefoauth.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * Matches a servlet web application and an application that is not a web application at
 * all: blocking clients have no place in a reactive one.
 */
class OnNotReactiveWebApplicationCondition extends NoneNestedConditions {

	OnNotReactiveWebApplicationCondition() {
		super(ConfigurationPhase.PARSE_CONFIGURATION);
	}

	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class Reactive {

	}

}
