package com.monkeycoder.daemon.accounts;

/**
 * The signals read on every request, so a change takes effect at once on every gateway instance even while they
 * keep keys in their short-lived auth caches: a key was revoked, or an account's standing changed (disabled,
 * enabled, its tier, plan or role). In gateway mode they are Redis keys; the database stays the record.
 */
public interface Revocations {

    void revoke(String keyId);

    boolean isRevoked(String keyId);

    /** Tells every instance to read the account's keys afresh: bumps its change counter. */
    void accountChanged(String accountId);

    /** The key's revocation and its account's change counter (0 when it never changed), read together. */
    Marks marks(String keyId, String accountId);

    /**
     * @param accountVersion grows with each change of the account; an instance whose cached grant was read at
     *                       another value reads the key again
     */
    record Marks(boolean revoked, long accountVersion) {
    }
}
