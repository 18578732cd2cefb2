package io.github.xrefoauth.flow;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link XrefHostileCallbackTests} with the JDBC store and its pending connects on an
 * embedded database.
 */
@TestPropertySource(
		properties = { "xref.oauth.store.type=jdbc", "spring.datasource.url=jdbc:h2:mem:XrefHostileCallbackJdbcTests",
				"xref.oauth.store.jdbc.encryption.keys.k1.secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
				"xref.oauth.store.jdbc.encryption.hash-key=aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=" })
class XrefHostileCallbackJdbcTests extends XrefHostileCallbackTests {

	@Override
	String repositoryName() {
		return "JDBC";
	}

}
