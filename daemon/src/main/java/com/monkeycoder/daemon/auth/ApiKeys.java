package com.monkeycoder.daemon.auth;

import java.security.SecureRandom;

/** Makes {@code mk-} keys: a prefix plus 32 random bytes written in base62. */
public final class ApiKeys {

    public static final String LOCAL_PREFIX = "mk-dev-";
    public static final String LIVE_PREFIX = "mk-live-";
    /** A shared gateway's test key: reaches only the demo provider and costs nothing. */
    public static final String TEST_PREFIX = "mk-test-";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + base62(bytes);
    }

    static String base62(byte[] bytes) {
        java.math.BigInteger n = new java.math.BigInteger(1, bytes);
        java.math.BigInteger radix = java.math.BigInteger.valueOf(62);
        StringBuilder out = new StringBuilder();
        while (n.signum() > 0) {
            java.math.BigInteger[] qr = n.divideAndRemainder(radix);
            out.append(BASE62[qr[1].intValue()]);
            n = qr[0];
        }
        // 32 bytes need up to 43 base62 digits; pad so every key has the same length.
        while (out.length() < 43) {
            out.append('0');
        }
        return out.reverse().toString();
    }

    /** The part of a key that may be shown: its prefix and first characters. */
    public static String displayPrefix(String key) {
        int shown = Math.min(key.length(), key.startsWith(LIVE_PREFIX) || key.startsWith(TEST_PREFIX) ? 12 : 11);
        return key.substring(0, shown) + "…";
    }
}
