package com.monkeycoder.daemon.cache;

import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The cache's persistent level in the gateway's database, SQLite or PostgreSQL (table {@code response_cache}):
 * a restarted daemon still answers from cache, and every shared instance answers from what any of them cached. Failures are logged and read
 * as misses: a cache must never fail a request.
 */
public final class JdbcCacheStore implements CacheStore {

    private static final System.Logger LOG = System.getLogger(JdbcCacheStore.class.getName());

    private final Database database;

    public JdbcCacheStore(Database database) {
        this.database = database;
    }

    @Override
    public Optional<String> get(String key, long nowMs) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT answer FROM response_cache WHERE cache_key = ? AND expires_ms > ?")) {
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
    public void put(String key, String answer, long createdMs, long expiresMs) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
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
    public int evictExpired(long nowMs) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM response_cache WHERE expires_ms <= ?")) {
            ps.setLong(1, nowMs);
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "response cache eviction failed: " + e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        // the database is closed by the gateway that opened it
    }
}
