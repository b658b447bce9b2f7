package com.monkeycoder.daemon.sessions;

import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sessions and their refresh tokens (kept as HMACs), on SQLite or PostgreSQL. */
public final class JdbcSessionStore {

    private static final String COLUMNS = "s.id, s.account_id, s.created_ms, s.last_used_ms, s.expires_ms, s.revoked_ms,"
            + " s.revoked_reason, s.client_address, s.user_agent";

    private final Database database;

    public JdbcSessionStore(Database database) {
        this.database = database;
    }

    /** A refresh token found by its hash, with its session and whether it was spent already. */
    public record RefreshLookup(SessionRecord session, boolean spent) {
    }

    public void create(Connection c, SessionRecord s, String refreshHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO auth_sessions (id, account_id, created_ms,"
                + " last_used_ms, expires_ms, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.accountId());
            ps.setLong(3, s.createdMs());
            ps.setLong(4, s.lastUsedMs());
            ps.setLong(5, s.expiresMs());
            ps.setString(6, s.clientAddress());
            ps.setString(7, s.userAgent());
            ps.executeUpdate();
        }
        insertRefresh(c, s.id(), refreshHash, s.createdMs());
    }

    public void insertRefresh(Connection c, String sessionId, String hash, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_refresh_tokens (token_hash, session_id,"
                + " created_ms) VALUES (?, ?, ?)")) {
            ps.setString(1, hash);
            ps.setString(2, sessionId);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        }
    }

    public Optional<RefreshLookup> byRefreshHash(String hash) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", t.spent_ms FROM session_refresh_tokens t"
                     + " JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RefreshLookup(session(rs), rs.getObject(10) != null));
            }
        }
    }

    /**
     * Spends a refresh token: true only for the first caller (one conditional update), so two instances given the
     * same token at once rotate it once; the other sees a reuse.
     */
    public boolean spend(Connection c, String hash, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE session_refresh_tokens SET spent_ms = ?"
                + " WHERE token_hash = ? AND spent_ms IS NULL")) {
            ps.setLong(1, nowMs);
            ps.setString(2, hash);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks the session used now and moves its expiry (each new refresh token lives the full lifetime). */
    public void touch(Connection c, String sessionId, long nowMs, long expiresMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE auth_sessions SET last_used_ms = ?, expires_ms = ?"
                + " WHERE id = ?")) {
            ps.setLong(1, nowMs);
            ps.setLong(2, expiresMs);
            ps.setString(3, sessionId);
            ps.executeUpdate();
        }
    }

    /** Records a use of an access token; never moves the time backwards. */
    public void touchLastUsed(String sessionId, long nowMs) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE auth_sessions SET last_used_ms = ? WHERE id = ?"
                     + " AND last_used_ms < ?")) {
            ps.setLong(1, nowMs);
            ps.setString(2, sessionId);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        }
    }

    /** Ends an active session of the account; false when it has no such active session. */
    public boolean revoke(Connection c, String accountId, String sessionId, long nowMs, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE auth_sessions SET revoked_ms = ?, revoked_reason = ?"
                + " WHERE id = ? AND account_id = ? AND revoked_ms IS NULL")) {
            ps.setLong(1, nowMs);
            ps.setString(2, reason);
            ps.setString(3, sessionId);
            ps.setString(4, accountId);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<SessionRecord> find(String sessionId) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM auth_sessions s WHERE s.id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(session(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Deletes the sessions that ended (revoked or expired) before {@code cutoffMs}, with their refresh tokens; returns
     * how many sessions. Live sessions keep every token, spent ones included: a spent token presented again is how a
     * stolen one is recognised.
     */
    public int purgeEnded(long cutoffMs) throws SQLException {
        String ended = "(revoked_ms IS NOT NULL AND revoked_ms < ?) OR expires_ms < ?";
        try (Connection c = database.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement tokens = c.prepareStatement("DELETE FROM session_refresh_tokens WHERE session_id IN"
                    + " (SELECT id FROM auth_sessions WHERE " + ended + ")");
                 PreparedStatement sessions = c.prepareStatement("DELETE FROM auth_sessions WHERE " + ended)) {
                for (PreparedStatement ps : List.of(tokens, sessions)) {
                    ps.setLong(1, cutoffMs);
                    ps.setLong(2, cutoffMs);
                }
                tokens.executeUpdate();
                int deleted = sessions.executeUpdate();
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The account's sessions that are neither revoked nor expired, most recently used first. */
    public List<SessionRecord> active(String accountId, long nowMs) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM auth_sessions s WHERE"
                     + " s.account_id = ? AND s.revoked_ms IS NULL AND s.expires_ms > ? ORDER BY s.last_used_ms DESC, s.id")) {
            ps.setString(1, accountId);
            ps.setLong(2, nowMs);
            List<SessionRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(session(rs));
                }
            }
            return out;
        }
    }

    private static SessionRecord session(ResultSet rs) throws SQLException {
        return new SessionRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                nullableLong(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
