package com.monkeycoder.daemon.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Billing's own rows ({@code V009__billing.sql}): processed Stripe events, which account a Stripe customer pays
 * for, the last applied state of each subscription, and the PaymentIntents of bought credits. Every method works on
 * the caller's connection, so these rows commit in the same transaction as the balance or plan they go with.
 */
final class BillingStore {

    /** The last applied state of one subscription. */
    record Subscription(String id, String accountId, String customerId, String status, String plan,
                        long eventCreated) {
    }

    /**
     * Marks an event processed; false when it was before. The INSERT comes first in the transaction, so a
     * concurrent delivery of the same event waits for this one's commit on PostgreSQL (then finds the row), and on
     * SQLite takes the write lock before it has read anything (a read first would leave it a stale snapshot, which
     * SQLite refuses to upgrade with SQLITE_BUSY instead of waiting).
     */
    boolean markProcessed(Connection c, String eventId, String type, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stripe_events (id, type, account_id, processed_ms)"
                + " VALUES (?, ?, NULL, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, eventId);
            ps.setString(2, type);
            ps.setLong(3, nowMs);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Holds the account's row until the transaction ends, so two events changing the same sums (two partial
     * refunds of one charge) on two instances run one after the other, each seeing what the other took.
     */
    void lockAccount(Connection c, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE accounts SET credit_micros = credit_micros WHERE id = ?")) {
            ps.setString(1, accountId);
            ps.executeUpdate();
        }
    }

    /** Whether a balance change with this reference was made (a dispute's take-back, before its reinstatement). */
    boolean adjusted(Connection c, String reference) throws SQLException {
        return exists(c, "SELECT 1 FROM credit_adjustments WHERE reference = ?", reference);
    }

    boolean processed(Connection c, String eventId) throws SQLException {
        return exists(c, "SELECT 1 FROM stripe_events WHERE id = ?", eventId);
    }

    void eventAccount(Connection c, String eventId, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stripe_events SET account_id = ? WHERE id = ?")) {
            ps.setString(1, accountId);
            ps.setString(2, eventId);
            ps.executeUpdate();
        }
    }

    /** The account {@code customerId} pays for, or null. */
    String customerAccount(Connection c, String customerId) throws SQLException {
        return customerId == null ? null
                : text(c, "SELECT account_id FROM stripe_customers WHERE customer_id = ?", customerId);
    }

    /** The Stripe customer of an account (the first one linked), or null. */
    String accountCustomer(Connection c, String accountId) throws SQLException {
        return text(c, "SELECT customer_id FROM stripe_customers WHERE account_id = ? ORDER BY created_ms, customer_id"
                + " LIMIT 1", accountId);
    }

    /** Links a customer to an account unless it is linked already (the first link stands); true when new. */
    boolean linkCustomer(Connection c, String customerId, String accountId, long nowMs) throws SQLException {
        if (customerId == null || customerAccount(c, customerId) != null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO stripe_customers (customer_id, account_id, created_ms) VALUES (?, ?, ?)")) {
            ps.setString(1, customerId);
            ps.setString(2, accountId);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        }
        return true;
    }

    Subscription subscription(Connection c, String id) throws SQLException {
        if (id == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id, customer_id, status, plan, event_created"
                + " FROM stripe_subscriptions WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Subscription(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getLong(6)) : null;
            }
        }
    }

    void saveSubscription(Connection c, Subscription s, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stripe_subscriptions SET account_id = ?, customer_id = ?,"
                + " status = ?, plan = ?, event_created = ?, updated_ms = ? WHERE id = ?")) {
            ps.setString(1, s.accountId());
            ps.setString(2, s.customerId());
            ps.setString(3, s.status());
            ps.setString(4, s.plan());
            ps.setLong(5, s.eventCreated());
            ps.setLong(6, nowMs);
            ps.setString(7, s.id());
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stripe_subscriptions (id, account_id, customer_id,"
                + " status, plan, event_created, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.accountId());
            ps.setString(3, s.customerId());
            ps.setString(4, s.status());
            ps.setString(5, s.plan());
            ps.setLong(6, s.eventCreated());
            ps.setLong(7, nowMs);
            ps.executeUpdate();
        }
    }

    /** The plan of another live subscription of the account, or null: ending one subscription keeps the other's. */
    String otherLivePlan(Connection c, String accountId, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT plan FROM stripe_subscriptions WHERE account_id = ?"
                + " AND id <> ? AND status IN ('active', 'trialing', 'past_due') AND plan IS NOT NULL"
                + " ORDER BY event_created DESC LIMIT 1")) {
            ps.setString(1, accountId);
            ps.setString(2, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void savePayment(Connection c, String paymentIntent, String accountId, String sessionId, long creditMicros,
                     long nowMs) throws SQLException {
        if (paymentIntent == null || paymentAccount(c, paymentIntent) != null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stripe_payments (payment_intent, account_id,"
                + " session_id, credits_micros, created_ms) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, paymentIntent);
            ps.setString(2, accountId);
            ps.setString(3, sessionId);
            ps.setLong(4, creditMicros);
            ps.setLong(5, nowMs);
            ps.executeUpdate();
        }
    }

    String paymentAccount(Connection c, String paymentIntent) throws SQLException {
        return paymentIntent == null ? null
                : text(c, "SELECT account_id FROM stripe_payments WHERE payment_intent = ?", paymentIntent);
    }

    /** The plan and tier an account has now, as {@code [plan, tier]}; null when the account is unknown. */
    String[] accountPlan(Connection c, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT plan, tier FROM accounts WHERE id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    /** Credits already taken back for refunds of one charge, in micro-dollars (a positive number). */
    long refundedMicros(Connection c, String refundReferencePrefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(amount_micros), 0) FROM credit_adjustments"
                + " WHERE SUBSTR(reference, 1, ?) = ?")) {
            ps.setInt(1, refundReferencePrefix.length());
            ps.setString(2, refundReferencePrefix);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return -rs.getLong(1);
            }
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        return text(c, sql.replace("SELECT 1", "SELECT '1'"), arg) != null;
    }

    private static String text(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
