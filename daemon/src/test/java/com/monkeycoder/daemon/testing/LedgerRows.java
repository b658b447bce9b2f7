package com.monkeycoder.daemon.testing;

import com.monkeycoder.shared.MonkeyPaths;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a test gateway's ledger file directly, so a test can check what a row says, not only that it exists. */
public final class LedgerRows {

    /** The columns tests check. {@code upstreamStatus} is null when the provider sent no status. */
    public record Row(String requestId, String route, String provider, String model, long promptTokens,
                      long completionTokens, long costMicros, boolean estimated, String status, String errorCode,
                      Integer upstreamStatus) {
    }

    private LedgerRows() {
    }

    public static List<Row> forRequest(TestGateway gateway, String requestId) {
        return query(gateway, "WHERE request_id = ?", requestId);
    }

    public static List<Row> all(TestGateway gateway) {
        return query(gateway, "ORDER BY created_ms, request_id", null);
    }

    private static List<Row> query(TestGateway gateway, String where, String requestId) {
        String url = "jdbc:sqlite:" + MonkeyPaths.from(gateway.env()).database();
        String sql = "SELECT request_id, route, provider, model, prompt_tokens, completion_tokens, cost_micros, estimated,"
                + " status, error_code, upstream_status FROM ledger " + where;
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            if (requestId != null) {
                ps.setString(1, requestId);
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int upstream = rs.getInt(11);
                    Integer upstreamStatus = rs.wasNull() ? null : upstream;
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getInt(8) == 1, rs.getString(9), rs.getString(10),
                            upstreamStatus));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("cannot read the test gateway's ledger: " + e.getMessage(), e);
        }
    }
}
