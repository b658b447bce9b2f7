package com.monkeycoder.daemon.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.shared.Json;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link AuditLog} in the {@code audit_log} table, on SQLite or PostgreSQL. An id is the event's time in 12 hex
 * digits, this instance's write counter in 8 and 4 random bytes, so ids sort by time, events this instance writes
 * in one millisecond (a verification and its starter credits, say) keep the order they were written in, and the
 * last id of a page is the cursor of the next. Events two instances write in one millisecond sort at random.
 */
public final class JdbcAuditLog implements AuditLog {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Orders one instance's events within a millisecond; wrapping only matters within one millisecond. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private final Database database;
    private final Clock clock;

    public JdbcAuditLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public AuditEvent record(AuditEvent event) throws SQLException {
        try (Connection c = database.connection()) {
            return record(c, event);
        }
    }

    @Override
    public AuditEvent record(Connection connection, AuditEvent event) throws SQLException {
        long now = clock.millis();
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String id = "aud_" + String.format("%012x%08x", now, SEQUENCE.getAndIncrement()) + HexFormat.of().formatHex(random);
        AuditEvent written = new AuditEvent(id, now, event.accountId(), event.actor(), event.action(), event.target(),
                event.origin(), event.details());
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO audit_log (id, time_ms, account_id, actor,"
                + " action, target, client_address, user_agent, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setLong(2, now);
            ps.setString(3, written.accountId());
            ps.setString(4, written.actor());
            ps.setString(5, written.action());
            ps.setString(6, written.target());
            ps.setString(7, written.origin().address());
            ps.setString(8, written.origin().userAgent());
            ps.setString(9, written.details().isEmpty() ? null : json(written.details()));
            ps.executeUpdate();
        }
        return written;
    }

    @Override
    public AuditPage page(AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, time_ms, account_id, actor, action, target, client_address,"
                + " user_agent, details FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.accountId() != null) {
            sql.append(" AND account_id = ?");
            args.add(q.accountId());
        }
        if (q.fromMs() != null) {
            sql.append(" AND time_ms >= ?");
            args.add(q.fromMs());
        }
        if (q.toMs() != null) {
            sql.append(" AND time_ms < ?");
            args.add(q.toMs());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.before() != null) {
            sql.append(" AND id < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit() + 1);
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new AuditEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), new Origin(rs.getString(7), rs.getString(8)),
                            details(rs.getString(9))));
                }
            }
            if (events.size() <= q.limit()) {
                return new AuditPage(events, null);
            }
            List<AuditEvent> page = events.subList(0, q.limit());
            return new AuditPage(List.copyOf(page), page.get(page.size() - 1).id());
        }
    }

    @Override
    public int purgeOlderThan(long cutoffMs) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM audit_log WHERE time_ms < ?")) {
            ps.setLong(1, cutoffMs);
            return ps.executeUpdate();
        }
    }

    private static String json(Map<String, Object> details) {
        try {
            return Json.mapper().writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be plain values: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> details(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", json);
        }
    }
}
