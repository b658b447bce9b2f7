package com.monkeycoder.daemon.mfa;

import com.monkeycoder.daemon.testing.MutableClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TOTP against RFC 6238's own vectors, and the window around now with a clock the test moves to a step's edges. */
class TotpTest {

    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY = ("1234567890".repeat(6) + "1234").getBytes(StandardCharsets.US_ASCII);

    @DisplayName("RFC 6238 Appendix B: every time and hash, 8 digits")
    @ParameterizedTest(name = "T={0}")
    @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void matchesTheRfcTestVectors(long seconds, String sha1, String sha256, String sha512) {
        long step = seconds / Totp.STEP_SECONDS;
        assertThat(Totp.code(SHA1_KEY, step, 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_KEY, step, 8, "HmacSHA256")).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_KEY, step, 8, "HmacSHA512")).isEqualTo(sha512);
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheRfcValues() {
        assertThat(Totp.code(SHA1_KEY, 59 / 30)).isEqualTo("287082");
        assertThat(Totp.code(SHA1_KEY, 1111111109L / 30)).isEqualTo("081804");
    }

    @Test
    @DisplayName("at the first and last second of step n: codes of n-1, n, n+1 accepted; n-2 and n+2 refused")
    void theWindowIsOneStepEitherSideAtBothEdgesOfAStep() {
        long n = 1111111111L / 30;
        for (long edge : new long[]{n * 30, n * 30 + 29}) {
            MutableClock clock = new MutableClock(Instant.ofEpochSecond(edge));
            Totp totp = new Totp(clock);
            assertThat(totp.currentStep()).isEqualTo(n);
            for (long step = n - 1; step <= n + 1; step++) {
                assertThat(totp.verify(SHA1_KEY, Totp.code(SHA1_KEY, step))).as("step n%+d at %d", step - n, edge)
                        .hasValue(step);
            }
            assertThat(totp.verify(SHA1_KEY, Totp.code(SHA1_KEY, n - 2))).as("n-2").isEmpty();
            assertThat(totp.verify(SHA1_KEY, Totp.code(SHA1_KEY, n + 2))).as("n+2").isEmpty();
        }
    }

    @Test
    void aCodeStopsWorkingOneSecondAfterItsWindowEnds() {
        long n = 2000000000L / 30;
        MutableClock clock = new MutableClock(Instant.ofEpochSecond((n + 1) * 30 + 29));
        Totp totp = new Totp(clock);
        String code = Totp.code(SHA1_KEY, n);
        assertThat(totp.verify(SHA1_KEY, code)).hasValue(n);
        clock.advance(Duration.ofSeconds(1));
        assertThat(totp.verify(SHA1_KEY, code)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null", "''", "12345", "1234567", "12345a", "' 12345'", "１２３４５６"})
    void malformedCodesAreRefusedWithoutComputing(String code) {
        assertThat(new Totp(new MutableClock(Instant.EPOCH)).verify(SHA1_KEY, code)).isEmpty();
    }

    @Test
    void base32RoundTripsAndReadsWhatAppsShow() {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(secret)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).isEqualTo(secret);
        assertThat(Base32.decode(Base32.encode(new byte[]{1, 2, 3}))).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Base32.decode("AB1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSealedSecretOpensOnlyForItsAccountAndItsServerSecretAndHidesTheSecret() {
        SecretBox box = new SecretBox("server-secret-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8));
        String sealed = box.seal(SHA1_KEY, "usr_a");

        assertThat(sealed).startsWith("v1.").doesNotContain(Base32.encode(SHA1_KEY));
        assertThat(box.seal(SHA1_KEY, "usr_a")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, "usr_a")).isEqualTo(SHA1_KEY);
        assertThatThrownBy(() -> box.open(sealed, "usr_b")).isInstanceOf(IllegalStateException.class);
        SecretBox other = new SecretBox("another-secret-0123456789abcdef012345678".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> other.open(sealed, "usr_a")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(sealed);
        char[] tampered = sealed.toCharArray();
        tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> box.open(new String(tampered), "usr_a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recoveryCodesAreTenDistinctAndReadBackLoosely() {
        var codes = RecoveryCodes.generate();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[0-9a-z]{5}-[0-9a-z]{5}"));
        String code = codes.getFirst();
        assertThat(RecoveryCodes.normalize(" " + code.toUpperCase() + " ")).isEqualTo(code.replace("-", ""));
        assertThat(RecoveryCodes.normalize("123456")).isNull();
    }

    @Test
    void theEnrolmentUriIsWhatAuthenticatorAppsRead() {
        assertThat(MfaService.uri("ada@example.com", "ABC"))
                .isEqualTo("otpauth://totp/Monkey%20Coder:ada%40example.com?secret=ABC&issuer=Monkey%20Coder");
    }
}
