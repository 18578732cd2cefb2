package io.github.xrefoauth.jdbc;

import java.security.GeneralSecurityException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * call takes a cipher that no other thread uses from a lock-free pool and puts it back
 * afterwards, so that threads decrypting with one key do not wait for each other. The
 * pool holds as many ciphers as calls have run at once; creating a cipher per call would
 * cost several times the decryption.
 */
final class AesGcmBytesEncryptor implements BytesEncryptor {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int IV_LENGTH = 16;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final BytesKeyGenerator ivGenerator = KeyGenerators.secureRandom(IV_LENGTH);

	private final Queue<Cipher> ciphers = new ConcurrentLinkedQueue<>();

	AesGcmBytesEncryptor(SecretKey key) {
		this.key = key;
	}

	@Override
	public byte[] encrypt(byte[] bytes) {
		byte[] iv = this.ivGenerator.generateKey();
		Cipher cipher = borrow();
		try {
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			byte[] encrypted = new byte[IV_LENGTH + cipher.getOutputSize(bytes.length)];
			System.arraycopy(iv, 0, encrypted, 0, IV_LENGTH);
			cipher.doFinal(bytes, 0, bytes.length, encrypted, IV_LENGTH);
			return encrypted;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to encrypt with AES-GCM", ex);
		}
		finally {
			this.ciphers.offer(cipher);
		}
	}

	@Override
	public byte[] decrypt(byte[] encryptedBytes) {
		if (encryptedBytes.length < IV_LENGTH + TAG_BITS / 8) {
			throw new IllegalStateException("Value is too short to be AES-GCM");
		}
		Cipher cipher = borrow();
		try {
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, encryptedBytes, 0, IV_LENGTH));
			return cipher.doFinal(encryptedBytes, IV_LENGTH, encryptedBytes.length - IV_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to decrypt with AES-GCM: " + ex.getClass().getSimpleName(), ex);
		}
		finally {
			// Every use starts with init(), which resets what a failed call left behind.
			this.ciphers.offer(cipher);
		}
	}

	private Cipher borrow() {
		Cipher cipher = this.ciphers.poll();
		if (cipher != null) {
			return cipher;
		}
		try {
			return Cipher.getInstance(TRANSFORMATION);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

}
