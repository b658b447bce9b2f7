package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.AuditLog;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.daemon.store.Database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The changes to an account that are not a request's cost: credits bought, refunded, granted or taken back, its
 * plan and tier, its role, whether it is disabled, whether its email is verified. Each change and its audit entry
 * are one transaction, so the log shows exactly the changes that happened. Billing, email and the admin routes all
 * change accounts through here.
 */
public final class AccountChanges {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.function.Consumer<String> changed;

    public AccountChanges(Database database, AuditLog audit, Clock clock) {
        this(database, audit, clock, accountId -> {
        });
    }

    /**
     * @param changed told, after the commit, of each account whose tier, plan, role or status changed, so every
     *                instance reads the account's keys afresh (the shared gateway bumps a counter in Redis)
     */
    public AccountChanges(Database database, AuditLog audit, Clock clock, java.util.function.Consumer<String> changed) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * Tells every instance that the account's grant changed. The methods here that take no connection call it
     * themselves; a caller that changed an account inside its own transaction calls it after its commit.
     */
    public void accountChanged(String accountId) {
        if (accountId != null) {
            changed.accept(accountId);
        }
    }

    /** One change to a balance, as {@code credit_adjustments} keeps it (for payment history). */
    public record CreditAdjustment(String id, String accountId, long amountMicros, String kind, String reference,
                                   String reason, String actor, long createdMs) {
    }

    /** Why a balance changed. */
    public static final class Kind {
        public static final String PURCHASE = "purchase";
        public static final String PLAN_CREDITS = "plan_credits";
        public static final String REFUND = "refund";
        /** Taken back when a chargeback takes the money, given back when the dispute is won. */
        public static final String DISPUTE = "dispute";
        public static final String ADMIN = "admin";
        public static final String STARTER = "starter";

        private Kind() {
        }
    }

    /**
     * Adds {@code amountMicros} to the account's balance (takes it away when negative; a balance may go below
     * zero, and then refuses requests with 402), once per {@code reference}: a second change with the same
     * reference changes nothing and returns false. {@code reference} may be null for changes that need no guard.
     *
     * @return true when the balance changed; false when the reference was applied before or the account is unknown
     */
    public boolean adjustCredits(String accountId, long amountMicros, String kind, String reference, String reason,
                                 AuditEvent event) throws SQLException {
        return inTransaction(c -> adjustCredits(c, accountId, amountMicros, kind, reference, reason, event));
    }

    /**
     * The same on the caller's connection, inside the caller's transaction: for a change that must commit together
     * with rows of its own (a Stripe event marked as processed). The caller commits or rolls back.
     */
    public boolean adjustCredits(Connection c, String accountId, long amountMicros, String kind, String reference,
                                 String reason, AuditEvent event) throws SQLException {
        if (reference != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM credit_adjustments WHERE reference = ?")) {
                ps.setString(1, reference);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE accounts SET credit_micros = credit_micros + ? WHERE id = ?")) {
            ps.setLong(1, amountMicros);
            ps.setString(2, accountId);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        // The UNIQUE reference is the last word when two instances race past the SELECT above: the second
        // insert fails and its whole transaction, balance change included, rolls back.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_adjustments (id, account_id,"
                + " amount_micros, kind, reference, reason, actor, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id("adj_"));
            ps.setString(2, accountId);
            ps.setLong(3, amountMicros);
            ps.setString(4, kind);
            ps.setString(5, reference);
            ps.setString(6, reason);
            ps.setString(7, event.actor());
            ps.setLong(8, clock.millis());
            ps.executeUpdate();
        }
        audit.record(c, event);
        return true;
    }

    /** The account's balance changes, newest first. */
    public List<CreditAdjustment> creditHistory(String accountId, int limit) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, account_id, amount_micros, kind, reference, reason,"
                     + " actor, created_ms FROM credit_adjustments WHERE account_id = ? ORDER BY created_ms DESC, id"
                     + " LIMIT ?")) {
            ps.setString(1, accountId);
            ps.setInt(2, limit);
            List<CreditAdjustment> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CreditAdjustment(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)));
                }
            }
            return out;
        }
    }

    /** Sets the account's plan (null: none) and the tier it gives; false when the account is unknown. */
    public boolean setPlan(String accountId, String plan, Tier tier, AuditEvent event) throws SQLException {
        return told(accountId, update("UPDATE accounts SET plan = ?, tier = ? WHERE id = ?", event, plan,
                tier.wireName(), accountId));
    }

    /** The same on the caller's connection, inside the caller's transaction. */
    public boolean setPlan(Connection c, String accountId, String plan, Tier tier, AuditEvent event)
            throws SQLException {
        return update(c, "UPDATE accounts SET plan = ?, tier = ? WHERE id = ?", event, plan, tier.wireName(),
                accountId);
    }

    /** Sets the account's tier and leaves its plan; false when the account is unknown. */
    public boolean setTier(String accountId, Tier tier, AuditEvent event) throws SQLException {
        return told(accountId, update("UPDATE accounts SET tier = ? WHERE id = ?", event, tier.wireName(), accountId));
    }

    public boolean setRole(String accountId, Role role, AuditEvent event) throws SQLException {
        return told(accountId, update("UPDATE accounts SET role = ? WHERE id = ?", event, role.wireName(), accountId));
    }

    /** Disables the account (its keys and sessions stop working) or, with {@code disabled} false, enables it. */
    public boolean setDisabled(String accountId, boolean disabled, AuditEvent event) throws SQLException {
        return told(accountId, inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET disabled_ms = ? WHERE id = ?")) {
                if (disabled) {
                    ps.setLong(1, clock.millis());
                } else {
                    ps.setNull(1, java.sql.Types.BIGINT);
                }
                ps.setString(2, accountId);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            audit.record(c, event);
            return true;
        }));
    }

    /** Marks the account's email verified, once: false when it was verified before (or the account is unknown). */
    public boolean markEmailVerified(String accountId, AuditEvent event) throws SQLException {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET email_verified_ms = ? WHERE id = ?"
                    + " AND email_verified_ms IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, accountId);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            audit.record(c, event);
            return true;
        });
    }

    /** Work on one connection in one transaction, with the audit log's entries in it. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. For changes of
     * other packages (sessions, MFA, password resets) that write their rows and their audit entry together.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = database.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private boolean told(String accountId, boolean changedIt) {
        if (changedIt) {
            accountChanged(accountId);
        }
        return changedIt;
    }

    public AuditLog audit() {
        return audit;
    }

    private boolean update(String sql, AuditEvent event, String... args) throws SQLException {
        return inTransaction(c -> update(c, sql, event, args));
    }

    private boolean update(Connection c, String sql, AuditEvent event, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        audit.record(c, event);
        return true;
    }

    private static String id(String prefix) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
