package com.monkeycoder.daemon.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1, 6 digits, 30-second steps.
 * A code is accepted for the step it was made in and one step either side, so a phone's clock a little off (or a
 * code typed as its step ends) still works. Time comes from the injected clock, so tests set it to a step's edge.
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** Steps accepted before and after the current one. */
    public static final int WINDOW = 1;

    private final Clock clock;

    public Totp(Clock clock) {
        this.clock = clock;
    }

    /** The step the clock is in now: seconds since the epoch over 30. */
    public long currentStep() {
        return Math.floorDiv(clock.millis() / 1000, STEP_SECONDS);
    }

    /**
     * The step whose code {@code code} is, within the window around now; empty when it is none of them. Every step
     * of the window is computed and compared in constant time, so timing does not tell which one came close.
     */
    public OptionalLong verify(byte[] secret, String code) {
        if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long now = currentStep();
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long matched = -1;
        for (long step = now - WINDOW; step <= now + WINDOW; step++) {
            byte[] expected = code(secret, step, DIGITS, "HmacSHA1").getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented) && matched < 0) {
                matched = step;
            }
        }
        return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /** The 6-digit SHA-1 code of one step. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS, "HmacSHA1");
    }

    /** RFC 6238's generator with the digits and HMAC named (its test vectors use 8 digits and three hashes). */
    static String code(byte[] secret, long step, int digits, String hmac) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(secret, hmac));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int otp = binary % (int) Math.pow(10, digits);
            return String.format("%0" + digits + "d", otp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is part of every JDK", e);
        }
    }
}
