package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.auth.ApiKeys;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The single-use tokens of verification and password-reset mails. A token is 32 random bytes (base62) shown once,
 * in the mail; the table keeps its HMAC with the gateway's secret, so a copy of the database holds no usable token.
 * A token is spent in the transaction of what it allows, so it works once however many requests race with it.
 */
public final class EmailTokens {

    /** What a token allows; its name is the {@code purpose} column. */
    public enum Purpose {
        VERIFY("verify", "mkv_"), RESET("reset", "mkr_");

        final String column;
        final String prefix;

        Purpose(String column, String prefix) {
            this.column = column;
            this.prefix = prefix;
        }
    }

    /** What presenting a token came to. */
    public sealed interface Redemption {
        /** The token was good and is now spent. */
        record Spent(String accountId) implements Redemption {
        }

        /** Refused: {@code reason} is {@code token_unknown}, {@code token_used} or {@code token_expired}. */
        record Refused(String reason) implements Redemption {
        }
    }

    /** Tokens expired this long ago are deleted when new ones are made. */
    private static final Duration KEEP_EXPIRED = Duration.ofDays(7);

    private final Database database;
    private final KeyHasher hasher;
    private final Clock clock;

    public EmailTokens(Database database, KeyHasher hasher, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A new token for the account, good for {@code ttl}; the caller puts it in a mail and nowhere else. */
    public String issue(String accountId, Purpose purpose, Duration ttl) throws SQLException {
        String token = ApiKeys.generate(purpose.prefix);
        long now = clock.millis();
        try (Connection c = database.connection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM email_tokens WHERE expires_ms < ?")) {
                ps.setLong(1, now - KEEP_EXPIRED.toMillis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO email_tokens (token_hash, account_id, purpose,"
                    + " created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash(token));
                ps.setString(2, accountId);
                ps.setString(3, purpose.column);
                ps.setLong(4, now);
                ps.setLong(5, now + ttl.toMillis());
                ps.executeUpdate();
            }
        }
        return token;
    }

    /**
     * Spends {@code token} inside the caller's transaction, with every other unspent token of the same account and
     * purpose (an older reset mail stops working once a reset is done). Rolled back with that transaction.
     */
    public Redemption redeem(Connection c, String token, Purpose purpose) throws SQLException {
        if (token == null || !token.startsWith(purpose.prefix) || token.length() > 100) {
            return new Redemption.Refused("token_unknown");
        }
        String hash = hash(token);
        long now = clock.millis();
        String accountId;
        try (PreparedStatement ps = c.prepareStatement("SELECT account_id, expires_ms, used_ms FROM email_tokens"
                + " WHERE token_hash = ? AND purpose = ?")) {
            ps.setString(1, hash);
            ps.setString(2, purpose.column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Redemption.Refused("token_unknown");
                }
                accountId = rs.getString(1);
                rs.getLong(3);
                if (!rs.wasNull()) {
                    return new Redemption.Refused("token_used");
                }
                if (rs.getLong(2) <= now) {
                    return new Redemption.Refused("token_expired");
                }
            }
        }
        // The condition on used_ms decides a race: of two requests with one token, one updates the row, and the
        // other (PostgreSQL re-checks it after the first commits; SQLite runs one writer at a time) updates none.
        try (PreparedStatement ps = c.prepareStatement("UPDATE email_tokens SET used_ms = ? WHERE token_hash = ?"
                + " AND used_ms IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, hash);
            if (ps.executeUpdate() != 1) {
                return new Redemption.Refused("token_used");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE email_tokens SET used_ms = ? WHERE account_id = ?"
                + " AND purpose = ? AND used_ms IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, accountId);
            ps.setString(3, purpose.column);
            ps.executeUpdate();
        }
        return new Redemption.Spent(accountId);
    }

    private String hash(String token) {
        return HexFormat.of().formatHex(hasher.hash(token));
    }
}
