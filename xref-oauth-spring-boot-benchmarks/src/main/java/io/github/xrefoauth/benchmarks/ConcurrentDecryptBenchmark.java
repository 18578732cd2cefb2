package io.github.xrefoauth.benchmarks;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import io.github.xrefoauth.jdbc.XrefTokenCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor.CipherAlgorithm;
import org.springframework.security.crypto.encrypt.BytesEncryptor;

/**
 * Decryptions of stored tokens with one key from 4 threads at once: the key of
 * {@link XrefTokenCipher#aesGcmKey(byte[])} against Spring Security's
 * {@link AesBytesEncryptor}, which decrypts through one synchronized cipher.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
public class ConcurrentDecryptBenchmark {

	@Param({ "xref-token-cipher", "spring-aes-bytes-encryptor" })
	public String key;

	private XrefTokenCipher cipher;

	private String storedToken;

	@Setup
	public void encryptToken() {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		BytesEncryptor encryptor = "xref-token-cipher".equals(this.key) ? XrefTokenCipher.aesGcmKey(secret)
				: new AesBytesEncryptor(new SecretKeySpec(secret, "AES"), null, CipherAlgorithm.GCM);
		this.cipher = XrefTokenCipher.aesGcm("k1", Map.of("k1", encryptor), secret);
		this.storedToken = this.cipher.encrypt("cb6f9d8c843c22e53db97f7fd2ff20ab58c91e31");
	}

	@Benchmark
	public String decryptStoredToken() {
		return this.cipher.decrypt(this.storedToken);
	}

}
