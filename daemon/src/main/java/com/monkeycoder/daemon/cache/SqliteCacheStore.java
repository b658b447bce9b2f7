package com.monkeycoder.daemon.cache;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The cache's persistent level in the daemon's SQLite file (table {@code response_cache}, created by the
 * ledger's migrations). One connection, used under a lock: cache traffic is small next to the ledger's, and
 * SQLite serialises writers anyway. Failures are logged and read as misses: a cache must never fail a request.
 */
public final class SqliteCacheStore implements CacheStore {

    private static final System.Logger LOG = System.getLogger(SqliteCacheStore.class.getName());

    private final Connection connection;

    public SqliteCacheStore(Path database) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout=5000");
        }
    }

    @Override
    public synchronized Optional<String> get(String key, long nowMs) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT answer FROM response_cache WHERE cache_key = ? AND expires_ms > ?")) {
            ps.setString(1, key);
            ps.setLong(2, nowMs);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "response cache read failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public synchronized void put(String key, String answer, long createdMs, long expiresMs) {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO response_cache (cache_key, created_ms, expires_ms, answer) VALUES (?, ?, ?, ?)
                ON CONFLICT (cache_key) DO UPDATE SET created_ms = excluded.created_ms,
                    expires_ms = excluded.expires_ms, answer = excluded.answer""")) {
            ps.setString(1, key);
            ps.setLong(2, createdMs);
            ps.setLong(3, expiresMs);
            ps.setString(4, answer);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "response cache write failed: " + e.getMessage());
        }
    }

    @Override
    public synchronized int evictExpired(long nowMs) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM response_cache WHERE expires_ms <= ?")) {
            ps.setLong(1, nowMs);
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "response cache eviction failed: " + e.getMessage());
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing on the way out
        }
    }
}
