package com.monkeycoder.daemon.accounts;

import com.monkeycoder.shared.text.HumanDuration;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Passwords as PBKDF2-HMAC-SHA256 with a random 16-byte salt at OWASP's recommended 600,000 iterations
 *. The stored form names its algorithm and count ({@code pbkdf2-sha256$600000$salt$hash}), so
 * the count can rise later while old hashes still verify. Comparisons are constant-time.
 */
public final class PasswordHasher {

    public static final int ITERATIONS = 600_000;
    private static final String ALGORITHM = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long a hash waits for a free slot before the request is turned away with 503. */
    static final Duration WAIT = Duration.ofSeconds(1);
    /** The Retry-After of that 503. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final int iterations;
    private final Semaphore slots;

    /** One hash at once per core. */
    public PasswordHasher() {
        this(ITERATIONS);
    }

    PasswordHasher(int iterations) {
        this(iterations, Runtime.getRuntime().availableProcessors());
    }

    /** @param concurrency hashes computed at once; others wait up to {@link #WAIT}, then are refused (503) */
    public static PasswordHasher bounded(int concurrency) {
        return new PasswordHasher(ITERATIONS, concurrency);
    }

    PasswordHasher(int iterations, int concurrency) {
        this.iterations = iterations;
        this.slots = new Semaphore(Math.max(1, concurrency), true);
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    public boolean verify(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(derive(password, salt, Integer.parseInt(parts[1])), expected);
    }

    /** Spends the time of a verification on nothing, so an unknown email answers as slowly as a wrong password. */
    public void verifyNothing(String password) {
        derive(password, new byte[16], iterations);
    }

    /**
     * Each hash holds one of a few slots, so a flood of logins or registrations costs at most that many cores
     * of PBKDF2 work; past a short wait the request is refused with 503 and Retry-After.
     */
    private byte[] derive(String password, byte[] salt, int iterations) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "too many logins and registrations at once on this"
                    + " instance; try again in " + HumanDuration.of(RETRY_AFTER), Map.of("reason", "password_hashing_busy"),
                    RETRY_AFTER);
        }
        try {
            return pbkdf2(password, salt, iterations);
        } finally {
            slots.release();
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
