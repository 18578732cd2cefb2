package io.github.xrefoauth.account.jdbc;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * AES-GCM through the JDK's {@code AES/GCM/NoPadding} in the format of Spring Security's
 * {@link AesBytesEncryptor} with {@code CipherAlgorithm.GCM}: a random 16-byte IV
 * followed by the ciphertext and its 128-bit tag. Values of either decrypt with the
 * other.
 * <p>
 * Unlike {@code AesBytesEncryptor}, which holds one synchronized {@link Cipher}, each
 * call gets a cipher of its own, so that threads decrypting with one key do not wait for
 * each other.
 */
final class AesGcmBytesEncryptor implements BytesEncryptor {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int IV_LENGTH = 16;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final BytesKeyGenerator ivGenerator = KeyGenerators.secureRandom(IV_LENGTH);

	AesGcmBytesEncryptor(SecretKey key) {
		this.key = key;
	}

	@Override
	public byte[] encrypt(byte[] bytes) {
		byte[] iv = this.ivGenerator.generateKey();
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			byte[] encrypted = new byte[IV_LENGTH + cipher.getOutputSize(bytes.length)];
			System.arraycopy(iv, 0, encrypted, 0, IV_LENGTH);
			cipher.doFinal(bytes, 0, bytes.length, encrypted, IV_LENGTH);
			return encrypted;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to encrypt with AES-GCM", ex);
		}
	}

	@Override
	public byte[] decrypt(byte[] encryptedBytes) {
		if (encryptedBytes.length < IV_LENGTH + TAG_BITS / 8) {
			throw new IllegalStateException("Value is too short to be AES-GCM");
		}
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, encryptedBytes, 0, IV_LENGTH));
			return cipher.doFinal(encryptedBytes, IV_LENGTH, encryptedBytes.length - IV_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to decrypt with AES-GCM: " + ex.getClass().getSimpleName(), ex);
		}
	}

}
