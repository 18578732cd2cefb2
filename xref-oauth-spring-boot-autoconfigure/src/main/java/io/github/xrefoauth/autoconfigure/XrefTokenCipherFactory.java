package io.github.xrefoauth.autoconfigure;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.xrefoauth.autoconfigure.XrefJdbcStoreProperties.Encryption;
import io.github.xrefoauth.autoconfigure.XrefJdbcStoreProperties.Key;
import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.util.StringUtils;

/**
 * Creates the {@link XrefTokenCipher} from {@code xref.oauth.store.jdbc.encryption.*},
 * failing with a message that names the property to set.
 */
final class XrefTokenCipherFactory {

	static final String PREFIX = "xref.oauth.store.jdbc.encryption.";

	private static final Log logger = LogFactory.getLog(XrefTokenCipherFactory.class);

	private static final String KEY_HINT = "Generate keys with 'openssl rand -base64 32' and keep them in a secret store.";

	private XrefTokenCipherFactory() {
	}

	static XrefTokenCipher create(Encryption encryption) {
		if (encryption.getKeys().isEmpty()) {
			if (!encryption.isAllowPlaintext()) {
				throw new XrefJdbcStoreConfigurationException(
						"The JDBC account store keeps Xref access tokens encrypted, but " + PREFIX + "keys is not set.",
						"Set " + PREFIX + "keys.<key-id>.secret to a Base64-encoded 256-bit key and " + PREFIX
								+ "hash-key to another one. " + KEY_HINT + " For a development database only, set "
								+ PREFIX + "allow-plaintext=true instead, or use xref.oauth.store.type=memory.");
			}
			logger.warn("Xref access tokens are stored in plain text (" + PREFIX + "allow-plaintext=true)");
			return XrefTokenCipher.plaintext();
		}
		Map<String, BytesEncryptor> keys = new LinkedHashMap<>();
		encryption.getKeys().forEach((keyId, key) -> keys.put(keyId, key(keyId, key)));
		String currentKeyId = currentKeyId(encryption);
		if (!keys.containsKey(currentKeyId)) {
			throw invalid("current-key-id", "names no key in " + PREFIX + "keys",
					"Set it to one of " + keys.keySet() + ".");
		}
		byte[] hashKey = hashKey(encryption.getHashKey());
		try {
			return XrefTokenCipher.aesGcm(currentKeyId, keys, hashKey);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("keys", "is not usable (" + ex.getMessage() + ")", "Rename the key.");
		}
	}

	private static String currentKeyId(Encryption encryption) {
		if (StringUtils.hasText(encryption.getCurrentKeyId())) {
			return encryption.getCurrentKeyId();
		}
		if (encryption.getKeys().size() > 1) {
			throw invalid("current-key-id", "is not set but several keys are configured",
					"Set it to the id of the key that encrypts new tokens.");
		}
		return encryption.getKeys().keySet().iterator().next();
	}

	private static BytesEncryptor key(String keyId, Key key) {
		String property = PREFIX + "keys." + keyId + ".secret";
		if (!StringUtils.hasText(key.getSecret())) {
			throw invalid("keys." + keyId + ".secret", "is not set",
					"Set " + property + " to a Base64-encoded 256-bit key. " + KEY_HINT);
		}
		try {
			return XrefTokenCipher.aesGcmKey(decode(key.getSecret()));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("keys." + keyId + ".secret", "is not a Base64-encoded key of 16, 24 or 32 bytes",
					"Set " + property + " to a Base64-encoded 256-bit key. " + KEY_HINT);
		}
	}

	private static byte[] hashKey(@Nullable String hashKey) {
		byte[] decoded = null;
		try {
			decoded = StringUtils.hasText(hashKey) ? decode(hashKey) : null;
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		if (decoded == null || decoded.length < 32) {
			throw invalid("hash-key", "is not a Base64-encoded key of at least 32 bytes",
					"Set it to a key other than the encryption keys; it finds stored tokens and should never change. "
							+ KEY_HINT);
		}
		return decoded;
	}

	/**
	 * Decodes a Base64 value, ignoring the whitespace around it: a key read from a
	 * mounted secret file usually ends with a newline.
	 */
	private static byte[] decode(String value) {
		return Base64.getDecoder().decode(value.strip());
	}

	private static XrefJdbcStoreConfigurationException invalid(String property, String problem, String action) {
		return new XrefJdbcStoreConfigurationException(
				"The JDBC account store cannot encrypt Xref access tokens: " + PREFIX + property + " " + problem + ".",
				action);
	}

}
