package com.monkeycoder.daemon.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Keys are kept only as HMAC-SHA256 with the server's secret: a leaked table of hashes
 * cannot be turned back into keys without the secret, and lookups stay a single hash.
 */
public final class KeyHasher {

    private final SecretKeySpec secret;

    public KeyHasher(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the key-hashing secret must be at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public byte[] hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Compares in constant time, so timing tells an attacker nothing about how close a guess was. */
    public boolean matches(String presented, byte[] storedHash) {
        return MessageDigest.isEqual(hash(presented), storedHash);
    }
}
