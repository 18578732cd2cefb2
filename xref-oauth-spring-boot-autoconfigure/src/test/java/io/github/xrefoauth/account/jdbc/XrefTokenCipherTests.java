package io.github.xrefoauth.account.jdbc;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
		assertThatIllegalStateException()
			.isThrownBy(() -> this.cipher.decrypt("k1:" + Base64.getEncoder().encodeToString(encrypted)));
	}

	@Test
	void valueOfAnUnknownKeyIsRejectedNamingTheKey() {
		XrefTokenCipher other = XrefTokenCipher.aesGcm("k2", Map.of("k2", XrefTokenCipher.aesGcmKey(key(2))), key(9));
		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt(other.encrypt(TOKEN)))
			.withMessageContaining("'k2'")
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

	private static byte[] key(int seed) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) seed);
		return key;
	}

}
