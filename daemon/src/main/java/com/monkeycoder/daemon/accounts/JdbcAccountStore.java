package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.shared.net.Cidr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AccountStore} in SQL that SQLite and PostgreSQL both run as written. */
public final class JdbcAccountStore implements AccountStore {

    private static final String KEY_COLUMNS = "k.id, k.account_id, k.prefix, k.name, k.created_ms, k.last_used_ms,"
            + " k.expires_ms, k.revoked_ms, k.requests_per_hour, k.requests_per_month, k.scopes, k.allowed_cidrs";

    /** The columns {@link #account(ResultSet)} reads, in its order. */
    public static final String ACCOUNT_COLUMNS = "id, email, password_hash, tier, credit_micros, created_ms, role, plan,"
            + " disabled_ms, email_verified_ms";

    private final Database database;

    public JdbcAccountStore(Database database) {
        this.database = database;
    }

    @Override
    public void createAccount(Account a, ApiKeyRecord firstKey, String keyHash) throws SQLException, DuplicateEmail {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, email, password_hash, tier,"
                        + " credit_micros, created_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING")) {
                    ps.setString(1, a.id());
                    ps.setString(2, a.email());
                    ps.setString(3, a.passwordHash());
                    ps.setString(4, a.tier().wireName());
                    ps.setLong(5, a.creditMicros());
                    ps.setLong(6, a.createdMs());
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        throw new DuplicateEmail();
                    }
                }
                insertKey(c, firstKey, keyHash);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public Optional<Account> accountByEmail(String email) throws SQLException {
        return account("email", email);
    }

    @Override
    public Optional<Account> account(String id) throws SQLException {
        return account("id", id);
    }

    private Optional<Account> account(String column, String value) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE "
                     + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(account(rs));
            }
        }
    }

    @Override
    public void insertKey(ApiKeyRecord key, String keyHash) throws SQLException {
        try (Connection c = database.connection()) {
            insertKey(c, key, keyHash);
        }
    }

    @Override
    public boolean insertKeyWithin(ApiKeyRecord k, String keyHash, int maxActive, long nowMs) throws SQLException {
        // One statement, so the count and the insert see the same rows (two racing inserts may still both pass
        // under READ COMMITTED; the key-creation throttle bounds that to a few keys).
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, account_id, key_hash, prefix, name,"
                     + " created_ms, expires_ms, requests_per_hour, requests_per_month, scopes, allowed_cidrs)"
                     + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM api_keys WHERE account_id = ?"
                     + " AND revoked_ms IS NULL AND (expires_ms IS NULL OR expires_ms > ?)) < ?")) {
            bindKey(ps, k, keyHash);
            ps.setString(12, k.accountId());
            ps.setLong(13, nowMs);
            ps.setInt(14, maxActive);
            return ps.executeUpdate() == 1;
        }
    }

    private static void bindKey(PreparedStatement ps, ApiKeyRecord k, String keyHash) throws SQLException {
        ps.setString(1, k.id());
        ps.setString(2, k.accountId());
        ps.setString(3, keyHash);
        ps.setString(4, k.prefix());
        ps.setString(5, k.name());
        ps.setLong(6, k.createdMs());
        setLong(ps, 7, k.expiresMs());
        setLong(ps, 8, k.requestsPerHour());
        setLong(ps, 9, k.requestsPerMonth());
        ps.setString(10, KeyScope.format(k.scopes()));
        ps.setString(11, k.allowedCidrs().isEmpty() ? null
                : String.join(",", k.allowedCidrs().stream().map(Cidr::toString).toList()));
    }

    private static void insertKey(Connection c, ApiKeyRecord k, String keyHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, account_id, key_hash, prefix, name,"
                + " created_ms, expires_ms, requests_per_hour, requests_per_month, scopes, allowed_cidrs)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindKey(ps, k, keyHash);
            ps.executeUpdate();
        }
    }

    @Override
    public List<ApiKeyRecord> keys(String accountId) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                     + " FROM api_keys k WHERE k.account_id = ? ORDER BY k.created_ms DESC, k.id")) {
            ps.setString(1, accountId);
            List<ApiKeyRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(key(rs));
                }
            }
            return out;
        }
    }

    @Override
    public Optional<KeyGrant> keyByHash(String keyHash) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + ", a.tier, a.email, a.role, a.disabled_ms FROM api_keys k"
                     + " JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = ?")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KeyGrant(key(rs), Tier.parse(rs.getString(13)).orElse(Tier.FREE), rs.getString(14),
                        Role.parse(rs.getString(15)).orElse(Role.USER), nullableLong(rs, 16)));
            }
        }
    }

    @Override
    public boolean revokeKey(String accountId, String keyId, long nowMs) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_ms = ? WHERE id = ?"
                     + " AND account_id = ? AND revoked_ms IS NULL")) {
            ps.setLong(1, nowMs);
            ps.setString(2, keyId);
            ps.setString(3, accountId);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void touchKeys(Map<String, Long> lastUsed) throws SQLException {
        if (lastUsed.isEmpty()) {
            return;
        }
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used_ms = ? WHERE id = ?"
                     + " AND (last_used_ms IS NULL OR last_used_ms < ?)")) {
            c.setAutoCommit(false);
            for (Map.Entry<String, Long> e : lastUsed.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    @Override
    public void setTier(String accountId, Tier tier) throws SQLException {
        update("UPDATE accounts SET tier = ? WHERE id = ?", tier.wireName(), accountId);
    }

    @Override
    public void setCredits(String accountId, long creditMicros) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE accounts SET credit_micros = ? WHERE id = ?")) {
            ps.setLong(1, creditMicros);
            ps.setString(2, accountId);
            ps.executeUpdate();
        }
    }

    private void update(String sql, String a, String b) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        }
    }

    /** An account from a row of {@link #ACCOUNT_COLUMNS}. */
    public static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), rs.getString(2), rs.getString(3),
                Tier.parse(rs.getString(4)).orElse(Tier.FREE), rs.getLong(5), rs.getLong(6),
                Role.parse(rs.getString(7)).orElse(Role.USER), rs.getString(8), nullableLong(rs, 9), nullableLong(rs, 10));
    }

    private static ApiKeyRecord key(ResultSet rs) throws SQLException {
        return new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                nullableLong(rs, 6), nullableLong(rs, 7), nullableLong(rs, 8), nullableLong(rs, 9), nullableLong(rs, 10),
                KeyScope.parseAll(rs.getString(11)), cidrs(rs.getString(12)));
    }

    /** The stored allowlist read back; an entry that no longer parses is dropped, never widened to "any". */
    private static List<Cidr> cidrs(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        List<Cidr> out = new ArrayList<>();
        for (String part : stored.split(",")) {
            try {
                out.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                // kept out; a key whose whole list is unreadable is refused below rather than allowed anywhere
            }
        }
        // An allowlist that was set but reads as nothing must not mean "any address": 0.0.0.0/32 matches no client.
        return out.isEmpty() ? List.of(Cidr.parse("0.0.0.0/32")) : List.copyOf(out);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
