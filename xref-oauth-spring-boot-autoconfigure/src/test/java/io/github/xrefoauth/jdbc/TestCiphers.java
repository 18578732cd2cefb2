package io.github.xrefoauth.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.crypto.encrypt.BytesEncryptor;

/**
 * Ciphers with fixed test keys, one per key id.
 */
final class TestCiphers {

	private TestCiphers() {
	}

	/**
	 * Returns a cipher that encrypts with the first key id and decrypts with all.
	 * @param keyIds the current key id, then older ones
	 * @return the cipher
	 */
	static XrefTokenCipher cipher(String... keyIds) {
		return cipher("key ", keyIds);
	}

	/**
	 * Returns a cipher whose keys have the ids of {@link #cipher(String...)} but other
	 * secrets.
	 * @param keyIds the current key id, then older ones
	 * @return the cipher
	 */
	static XrefTokenCipher cipherWithOtherSecrets(String... keyIds) {
		return cipher("other key ", keyIds);
	}

	private static XrefTokenCipher cipher(String seed, String... keyIds) {
		Map<String, BytesEncryptor> keys = new LinkedHashMap<>();
		Arrays.stream(keyIds).forEach((keyId) -> keys.put(keyId, XrefTokenCipher.aesGcmKey(bytes(seed + keyId))));
		return XrefTokenCipher.aesGcm(keyIds[0], keys, bytes("hash key"));
	}

	private static byte[] bytes(String seed) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
