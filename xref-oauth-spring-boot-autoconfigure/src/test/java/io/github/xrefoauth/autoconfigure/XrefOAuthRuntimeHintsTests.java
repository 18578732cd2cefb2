package io.github.xrefoauth.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ahead-of-time processed application gets the starter's resources and JSON types.
 */
class XrefOAuthRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	XrefOAuthRuntimeHintsTests() {
		AotServices.factories(getClass().getClassLoader())
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
	}

	@Test
	void registrarIsListedInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(XrefOAuthRuntimeHints.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "mysql", "postgresql" })
	void schemaScriptOfEachPlatformIsIncluded(String platform) {
		String script = "io/github/xrefoauth/jdbc/schema-" + platform + ".sql";

		assertThat(new ClassPathResource(script).exists()).isTrue();
		assertThat(RuntimeHintsPredicates.resource().forResource(script)).accepts(this.hints);
	}

	@Test
	void otherResourcesOfThePackageAreNotIncluded() {
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/xrefoauth/jdbc/data-h2.sql"))
			.rejects(this.hints);
	}

	@ParameterizedTest
	@ValueSource(strings = { XrefOAuthRuntimeHints.TOKEN_REQUEST, XrefOAuthRuntimeHints.AUTHORIZATION_REQUEST_FIELDS })
	void jacksonCanCreateAndReadEveryJsonRecord(String typeName) throws Exception {
		Class<?> type = ClassUtils.resolveClassName(typeName, getClass().getClassLoader());
		RecordComponent[] components = type.getRecordComponents();
		Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);

		assertThat(components).isNotEmpty();
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(type.getDeclaredConstructor(parameterTypes))).accepts(this.hints);
		assertThat(components).allSatisfy((component) -> assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
			.as(component.getName())
			.accepts(this.hints));
	}

}
