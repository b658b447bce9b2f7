package com.monkeycoder.daemon.mfa;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals small secrets (TOTP secrets) for the database with AES-256-GCM under a key derived from the server's secret
 * ({@code MONKEY_CODER_SECRET}): a copy of the table alone gives no one an account's codes. Each sealed value is
 * bound to what it belongs to (the account id, as associated data), so a row copied onto another account does not
 * open. The format is {@code v1.} + base64url(12-byte nonce + ciphertext and tag).
 */
public final class SecretBox {

    private static final String VERSION = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretBox(byte[] serverSecret) {
        this.key = new SecretKeySpec(derive(serverSecret, "monkey-coder/mfa-secret/v1"), "AES");
    }

    /** A key of its own for this use, so the server secret's other uses (key hashes) never share bytes with it. */
    private static byte[] derive(byte[] serverSecret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSecret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public String seal(byte[] plain, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws IllegalStateException when the value was not sealed by this secret for {@code boundTo} */
    public byte[] open(String sealed, String boundTo) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("a sealed secret in an unknown format");
        }
        byte[] all = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            // Never the value itself: only that it does not open (a changed MONKEY_CODER_SECRET, or a moved row).
            throw new IllegalStateException("a sealed MFA secret does not open with this server secret"
                    + " (was MONKEY_CODER_SECRET changed?)");
        }
    }
}
