package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.autoconfigure.XrefJdbcStoreProperties.Encryption;
import io.github.xrefoauth.autoconfigure.XrefJdbcStoreProperties.Key;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class XrefTokenCipherFactoryTests {

	private static final String SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static final String HASH_KEY = "aGFzaC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=";

	private static final String TOKEN = "cb6f0e5d9a8b4c3d2e1f0a9b8c7d1e31";

	@Test
	void keysReadFromSecretFilesWithATrailingNewlineAreTheSameKeys() {
		XrefTokenCipher fromProperties = XrefTokenCipherFactory.create(encryption(SECRET, HASH_KEY));
		XrefTokenCipher fromFiles = XrefTokenCipherFactory.create(encryption(SECRET + "\n", " " + HASH_KEY + "\r\n"));
		assertThat(fromFiles.decrypt(fromProperties.encrypt(TOKEN))).isEqualTo(TOKEN);
		assertThat(fromFiles.hash(TOKEN)).isEqualTo(fromProperties.hash(TOKEN));
	}

	@Test
	void secretOfTheWrongLengthIsRejectedNamingThePropertyButNotTheValue() {
		assertThatExceptionOfType(XrefJdbcStoreConfigurationException.class)
			.isThrownBy(() -> XrefTokenCipherFactory.create(encryption("c2hvcnQ=", HASH_KEY)))
			.withMessageContaining("xref.oauth.store.jdbc.encryption.keys.k1.secret")
			.withMessageNotContaining("c2hvcnQ=");
	}

	private static Encryption encryption(String secret, String hashKey) {
		Encryption encryption = new Encryption();
		Key key = new Key();
		key.setSecret(secret);
		encryption.getKeys().put("k1", key);
		encryption.setHashKey(hashKey);
		return encryption;
	}

}
