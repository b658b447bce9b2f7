package com.monkeycoder.daemon.mfa;

import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** TOTP secrets and recovery codes, on SQLite or PostgreSQL (the same SQL). */
public final class JdbcMfaStore {

    private final Database database;

    public JdbcMfaStore(Database database) {
        this.database = database;
    }

    public Optional<MfaRecord> find(String accountId) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT account_id, secret_sealed, created_ms, enabled_ms,"
                     + " last_step FROM mfa_secrets WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new MfaRecord(rs.getString(1), rs.getString(2), rs.getLong(3),
                        nullableLong(rs, 4), nullableLong(rs, 5)));
            }
        }
    }

    /** Replaces a pending enrolment (never an enabled one) with a new secret; false when MFA is enabled already. */
    public boolean savePending(Connection c, String accountId, String sealed, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mfa_secrets WHERE account_id = ? AND enabled_ms IS NULL")) {
            ps.setString(1, accountId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mfa_secrets WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mfa_secrets (account_id, secret_sealed, created_ms)"
                + " VALUES (?, ?, ?)")) {
            ps.setString(1, accountId);
            ps.setString(2, sealed);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        }
        return true;
    }

    /** Turns a pending enrolment on, its first code's step taken; false when there was none pending. */
    public boolean enable(Connection c, String accountId, long nowMs, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mfa_secrets SET enabled_ms = ?, last_step = ?"
                + " WHERE account_id = ? AND enabled_ms IS NULL")) {
            ps.setLong(1, nowMs);
            ps.setLong(2, step);
            ps.setString(3, accountId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Replaces the account's recovery codes with these hashes. */
    public void replaceRecoveryCodes(Connection c, String accountId, List<String> hashes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mfa_recovery_codes WHERE account_id = ?")) {
            ps.setString(1, accountId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mfa_recovery_codes (account_id, code_hash)"
                + " VALUES (?, ?)")) {
            for (String hash : hashes) {
                ps.setString(1, accountId);
                ps.setString(2, hash);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Takes the code of {@code step}: true only when no code of this step or a later one was taken before. One
     * conditional update, so two instances given the same code at the same moment accept it once between them.
     */
    public boolean takeStep(String accountId, long step) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE mfa_secrets SET last_step = ? WHERE account_id = ?"
                     + " AND enabled_ms IS NOT NULL AND (last_step IS NULL OR last_step < ?)")) {
            ps.setLong(1, step);
            ps.setString(2, accountId);
            ps.setLong(3, step);
            return ps.executeUpdate() == 1;
        }
    }

    /** Spends a recovery code: true only the first time (a conditional update, so once across all instances). */
    public boolean spendRecoveryCode(Connection c, String accountId, String hash, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mfa_recovery_codes SET used_ms = ? WHERE account_id = ?"
                + " AND code_hash = ? AND used_ms IS NULL")) {
            ps.setLong(1, nowMs);
            ps.setString(2, accountId);
            ps.setString(3, hash);
            return ps.executeUpdate() == 1;
        }
    }

    public int recoveryCodesLeft(String accountId) throws SQLException {
        try (Connection c = database.connection()) {
            return recoveryCodesLeft(c, accountId);
        }
    }

    public int recoveryCodesLeft(Connection c, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mfa_recovery_codes WHERE account_id = ?"
                + " AND used_ms IS NULL")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Removes the account's secret and recovery codes; false when it had no enabled MFA. */
    public boolean delete(Connection c, String accountId) throws SQLException {
        int removed;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mfa_secrets WHERE account_id = ? AND enabled_ms IS NOT NULL")) {
            ps.setString(1, accountId);
            removed = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mfa_recovery_codes WHERE account_id = ?")) {
            ps.setString(1, accountId);
            ps.executeUpdate();
        }
        return removed == 1;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
