package io.github.xrefoauth.jdbc;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor.CipherAlgorithm;
import org.springframework.security.crypto.encrypt.BytesEncryptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class XrefTokenCipherTests {

	private static final String TOKEN = "cb6f0e5d9a8b4c3d2e1f0a9b8c7d1e31";

	private final XrefTokenCipher cipher = XrefTokenCipher.aesGcm("k1", Map.of("k1", XrefTokenCipher.aesGcmKey(key(1))),
			key(9));

	@Test
	void encryptedValueNamesItsKeyAndDecryptsToTheToken() {
		String stored = this.cipher.encrypt(TOKEN);
		assertThat(stored).startsWith("k1:").doesNotContain(TOKEN);
		assertThat(this.cipher.decrypt(stored)).isEqualTo(TOKEN);
		assertThat(this.cipher.isCurrent(stored)).isTrue();
	}

	@Test
	void sameTokenEncryptsDifferentlyEachTime() {
		assertThat(this.cipher.encrypt(TOKEN)).isNotEqualTo(this.cipher.encrypt(TOKEN));
	}

	@Test
	void alteredValueIsRejected() {
		byte[] encrypted = Base64.getDecoder().decode(this.cipher.encrypt(TOKEN).substring(3));
		encrypted[encrypted.length - 1] ^= 1;
		assertThatExceptionOfType(XrefTokenKeyException.class)
			.isThrownBy(() -> this.cipher.decrypt("k1:" + Base64.getEncoder().encodeToString(encrypted)))
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k1"))
			.satisfies((ex) -> assertThat(ex.isKeyConfigured()).isTrue())
			.withMessageContaining("'k1'")
			.withMessageContaining("does not decrypt")
			.withMessageNotContaining("padding");
	}

	@Test
	void valueOfAnUnknownKeyIsRejectedNamingTheKey() {
		XrefTokenCipher other = XrefTokenCipher.aesGcm("k2", Map.of("k2", XrefTokenCipher.aesGcmKey(key(2))), key(9));
		assertThatExceptionOfType(XrefTokenKeyException.class)
			.isThrownBy(() -> this.cipher.decrypt(other.encrypt(TOKEN)))
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k2"))
			.satisfies((ex) -> assertThat(ex.isKeyConfigured()).isFalse())
			.withMessageContaining("'k2'")
			.withMessageContaining("not configured")
			.withMessageNotContaining(TOKEN);
	}

	@Test
	void hashIsKeyedAndStable() {
		XrefTokenCipher otherHashKey = XrefTokenCipher.aesGcm("k1", Map.of("k1", XrefTokenCipher.aesGcmKey(key(1))),
				key(8));
		assertThat(this.cipher.hash(TOKEN)).hasSize(64).isEqualTo(this.cipher.hash(TOKEN));
		assertThat(otherHashKey.hash(TOKEN)).isNotEqualTo(this.cipher.hash(TOKEN));
		assertThat(XrefTokenCipher.plaintext().hash(TOKEN)).isNotEqualTo(this.cipher.hash(TOKEN));
	}

	@Test
	void shortHashKeyAndReservedKeyIdAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> XrefTokenCipher.aesGcm("k1", Map.of("k1", XrefTokenCipher.aesGcmKey(key(1))), new byte[16]));
		assertThatIllegalArgumentException().isThrownBy(
				() -> XrefTokenCipher.aesGcm("plain", Map.of("plain", XrefTokenCipher.aesGcmKey(key(1))), key(9)));
	}

	@Test
	void valuesOfSpringSecuritysAesBytesEncryptorDecryptAndViceVersa() {
		BytesEncryptor spring = new AesBytesEncryptor(new SecretKeySpec(key(1), "AES"), null, CipherAlgorithm.GCM);
		XrefTokenCipher springCipher = XrefTokenCipher.aesGcm("k1", Map.of("k1", spring), key(9));
		assertThat(this.cipher.decrypt(springCipher.encrypt(TOKEN))).isEqualTo(TOKEN);
		assertThat(springCipher.decrypt(this.cipher.encrypt(TOKEN))).isEqualTo(TOKEN);
	}

	@Test
	void concurrentDecryptionsWithOneKeyEachGetTheirOwnToken() throws Exception {
		List<String> tokens = IntStream.range(0, 200).mapToObj((n) -> TOKEN + n).toList();
		List<String> stored = tokens.stream().map(this.cipher::encrypt).toList();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> decrypted = IntStream.range(0, 200)
				.mapToObj((n) -> threads.submit(() -> this.cipher.decrypt(stored.get(n))))
				.toList();
			for (int n = 0; n < tokens.size(); n++) {
				assertThat(decrypted.get(n).get(30, TimeUnit.SECONDS)).isEqualTo(tokens.get(n));
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void truncatedValueIsRejectedNamingTheKey() {
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> this.cipher.decrypt("k1:AAAA"))
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k1"));
		assertThatExceptionOfType(XrefTokenKeyException.class).isThrownBy(() -> this.cipher.decrypt("k1:not base64!"))
			.satisfies((ex) -> assertThat(ex.getKeyId()).isEqualTo("k1"));
	}

	@Test
	void valueWithoutKeyIdIsAStoreFailure() {
		assertThatExceptionOfType(DataRetrievalFailureException.class).isThrownBy(() -> this.cipher.decrypt(TOKEN))
			.withMessageNotContaining(TOKEN);
	}

	private static byte[] key(int seed) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) seed);
		return key;
	}

}
