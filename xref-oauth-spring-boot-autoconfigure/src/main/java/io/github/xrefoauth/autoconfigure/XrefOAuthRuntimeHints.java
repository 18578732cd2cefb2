package io.github.xrefoauth.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What an ahead-of-time processed application (a native image in particular) needs from
 * the starter beyond its bean definitions: the schema scripts of the JDBC store, and the
 * types that Jackson writes and reads by reflection (the JSON body of the token request,
 * the pending authorization requests of the JDBC repository).
 */
class XrefOAuthRuntimeHints implements RuntimeHintsRegistrar {

	static final String SCHEMA_SCRIPTS = "io/github/xrefoauth/jdbc/schema-*.sql";

	static final String TOKEN_REQUEST = "io.github.xrefoauth.internal.RestClientXrefTokenClient$TokenRequest";

	static final String AUTHORIZATION_REQUEST_FIELDS = "io.github.xrefoauth.jdbc.AuthorizationRequestJson$Fields";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(SCHEMA_SCRIPTS);
		BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
		bindings.registerReflectionHints(hints.reflection(), ClassUtils.resolveClassName(TOKEN_REQUEST, classLoader),
				ClassUtils.resolveClassName(AUTHORIZATION_REQUEST_FIELDS, classLoader));
	}

}
