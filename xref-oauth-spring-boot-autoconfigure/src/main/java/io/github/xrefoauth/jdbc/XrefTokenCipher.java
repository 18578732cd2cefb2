package io.github.xrefoauth.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.util.Assert;

/**
 * Encrypts access tokens for storage and derives the hash that finds a stored token
 * without decrypting it.
 * <p>
 * A stored value names the key that encrypted it: {@code <keyId>:<base64>}, where the
 * Base64 part holds the IV, the AES-GCM ciphertext and its tag. New values use the
 * current key; values of every other configured key still decrypt, so keys can be rotated
 * without downtime. The hash is HMAC-SHA256 under a separate hash key that does not
 * change when the encryption key does.
 * <p>
 * {@link #plaintext()} stores tokens as {@code plain:<token>}, for development databases
 * only. Plaintext values are read by every cipher, so that
 * {@link JdbcXrefAccountStore#reencryptAll()} can encrypt them once keys are configured.
 *
 * @since 0.1.0
 */
public final class XrefTokenCipher {

	/** Key id of values stored without encryption. */
	public static final String PLAINTEXT_KEY_ID = "plain";

	private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private static final int MIN_HASH_KEY_LENGTH = 32;

	private static final String HMAC_ALGORITHM = "HmacSHA256";

	private final String currentKeyId;

	private final Map<String, BytesEncryptor> encryptors;

	private final @Nullable SecretKeySpec hashKey;

	private XrefTokenCipher(String currentKeyId, Map<String, BytesEncryptor> encryptors,
			@Nullable SecretKeySpec hashKey) {
		this.currentKeyId = currentKeyId;
		this.encryptors = encryptors;
		this.hashKey = hashKey;
	}

	/**
	 * Creates a cipher that encrypts with AES-GCM.
	 * @param currentKeyId the id of the key that encrypts new values
	 * @param keys every key that may have encrypted a stored value, by id (see
	 * {@link #aesGcmKey(byte[])})
	 * @param hashKey the HMAC-SHA256 key of the token hash, at least 32 bytes
	 * @return the cipher
	 */
	public static XrefTokenCipher aesGcm(String currentKeyId, Map<String, BytesEncryptor> keys, byte[] hashKey) {
		Assert.notNull(keys, "keys cannot be null");
		Assert.isTrue(keys.containsKey(currentKeyId),
				() -> "keys must contain the current key id '" + currentKeyId + "'");
		keys.keySet()
			.forEach((keyId) -> Assert.isTrue(KEY_ID.matcher(keyId).matches() && !PLAINTEXT_KEY_ID.equals(keyId),
					() -> "key id '" + keyId + "' must consist of 1 to 64 letters, digits, '_', '.' or '-' and not be '"
							+ PLAINTEXT_KEY_ID + "'"));
		Assert.isTrue(hashKey != null && hashKey.length >= MIN_HASH_KEY_LENGTH,
				"hashKey must have at least " + MIN_HASH_KEY_LENGTH + " bytes");
		return new XrefTokenCipher(currentKeyId, Map.copyOf(keys), new SecretKeySpec(hashKey, HMAC_ALGORITHM));
	}

	/**
	 * Creates a cipher that stores tokens in plain text and hashes them with SHA-256. Use
	 * it only for development databases.
	 * @return the cipher
	 */
	public static XrefTokenCipher plaintext() {
		return new XrefTokenCipher(PLAINTEXT_KEY_ID, Map.of(), null);
	}

	/**
	 * Creates an AES-GCM key from raw key material. Its values have the format of Spring
	 * Security's {@code AesBytesEncryptor} in GCM mode (16-byte IV, 128-bit tag); each
	 * call uses a JDK cipher of its own, so that concurrent calls do not wait for each
	 * other.
	 * @param secret 16, 24 or 32 random bytes
	 * @return the key
	 */
	public static BytesEncryptor aesGcmKey(byte[] secret) {
		Assert.isTrue(secret != null && (secret.length == 16 || secret.length == 24 || secret.length == 32),
				"secret must have 16, 24 or 32 bytes");
		return new AesGcmBytesEncryptor(new SecretKeySpec(secret, "AES"));
	}

	/**
	 * Encrypts a token with the current key.
	 * @param token the token
	 * @return the value to store
	 */
	public String encrypt(String token) {
		Assert.hasText(token, "token cannot be empty");
		BytesEncryptor encryptor = this.encryptors.get(this.currentKeyId);
		if (encryptor == null) {
			return PLAINTEXT_KEY_ID + ":" + token;
		}
		byte[] encrypted = encryptor.encrypt(token.getBytes(StandardCharsets.UTF_8));
		return this.currentKeyId + ":" + Base64.getEncoder().encodeToString(encrypted);
	}

	/**
	 * Decrypts a stored value with the key it names.
	 * @param storedValue the value from {@link #encrypt(String)}
	 * @return the token
	 * @throws XrefTokenKeyException if the key is not configured or does not decrypt the
	 * value
	 * @throws DataRetrievalFailureException if the value names no key
	 */
	public String decrypt(String storedValue) {
		String keyId = keyIdOf(storedValue);
		String payload = storedValue.substring(keyId.length() + 1);
		if (PLAINTEXT_KEY_ID.equals(keyId)) {
			return payload;
		}
		BytesEncryptor encryptor = this.encryptors.get(keyId);
		if (encryptor == null) {
			throw XrefTokenKeyException.notConfigured(keyId);
		}
		try {
			return new String(encryptor.decrypt(Base64.getDecoder().decode(payload)), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw XrefTokenKeyException.notDecrypting(keyId, ex);
		}
	}

	/**
	 * Returns the id of the key that a stored value names.
	 * @param storedValue the value from {@link #encrypt(String)}
	 * @return the key id, {@value #PLAINTEXT_KEY_ID} for a value stored without
	 * encryption
	 * @throws DataRetrievalFailureException if the value names no key
	 */
	public static String keyIdOf(String storedValue) {
		int separator = storedValue.indexOf(':');
		if (separator <= 0) {
			throw new DataRetrievalFailureException("Stored token names no key id");
		}
		return storedValue.substring(0, separator);
	}

	/**
	 * Whether a stored value was written with the current key.
	 * @param storedValue the stored value
	 * @return {@code true} if it needs no re-encryption
	 */
	boolean isCurrent(String storedValue) {
		return storedValue.startsWith(this.currentKeyId + ":");
	}

	/**
	 * Returns the hash that finds a token: HMAC-SHA256 under the hash key, or SHA-256
	 * without encryption.
	 * @param token the token
	 * @return 64 hex digits
	 */
	public String hash(String token) {
		byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
		try {
			if (this.hashKey == null) {
				return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
			}
			Mac mac = Mac.getInstance(HMAC_ALGORITHM);
			mac.init(this.hashKey);
			return HexFormat.of().formatHex(mac.doFinal(bytes));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot hash a token", ex);
		}
	}

	@Override
	public String toString() {
		return "XrefTokenCipher[currentKeyId=" + this.currentKeyId + ", keyIds=" + this.encryptors.keySet() + "]";
	}

}
