package com.monkeycoder.daemon.accounts;

/**
 * The signal that a key was revoked, read on every request, so a revocation takes effect at once on every
 * gateway instance even while they keep the key in their short-lived auth caches. In gateway mode it is a Redis
 * key per revoked key id; the database stays the record.
 */
public interface Revocations {

    void revoke(String keyId);

    boolean isRevoked(String keyId);
}
