package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.limits.Tier;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Accounts and their keys, on SQLite or PostgreSQL (the same tables, the same SQL). */
public interface AccountStore {

    /** Thrown when the email is taken already. */
    final class DuplicateEmail extends Exception {
        public DuplicateEmail() {
            super("email already registered", null, false, false);
        }
    }

    /** Creates an account and its first key together, or neither. */
    void createAccount(Account account, ApiKeyRecord firstKey, String keyHash) throws SQLException, DuplicateEmail;

    Optional<Account> accountByEmail(String email) throws SQLException;

    Optional<Account> account(String id) throws SQLException;

    void insertKey(ApiKeyRecord key, String keyHash) throws SQLException;

    /**
     * Inserts the key only while its account has fewer than {@code maxActive} active keys (not revoked, not
     * expired at {@code nowMs}); false when it has that many already.
     */
    boolean insertKeyWithin(ApiKeyRecord key, String keyHash, int maxActive, long nowMs) throws SQLException;

    /** The account's keys, newest first, revoked ones included. */
    List<ApiKeyRecord> keys(String accountId) throws SQLException;

    Optional<KeyGrant> keyByHash(String keyHash) throws SQLException;

    /** Revokes one of the account's keys; false when the account has no such key (or it was revoked already). */
    boolean revokeKey(String accountId, String keyId, long nowMs) throws SQLException;

    /** Records when keys were last used (key id to epoch ms), never moving a time backwards. */
    void touchKeys(Map<String, Long> lastUsed) throws SQLException;

    /** For operators (and tests): an account's tier. */
    void setTier(String accountId, Tier tier) throws SQLException;

    /** For operators (and tests): an account's balance. */
    void setCredits(String accountId, long creditMicros) throws SQLException;
}
