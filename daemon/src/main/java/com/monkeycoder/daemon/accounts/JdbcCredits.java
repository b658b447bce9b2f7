package com.monkeycoder.daemon.accounts;

import com.monkeycoder.shared.text.Money;
import com.monkeycoder.daemon.routing.CreditHold;
import com.monkeycoder.daemon.routing.Credits;
import com.monkeycoder.daemon.ledger.CommitHook;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.providers.TokenEstimator;
import com.monkeycoder.daemon.routing.RequestContext;
import com.monkeycoder.daemon.routing.Route;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credits in the accounts table. A hold is one conditional {@code UPDATE ... WHERE credit_micros >= amount} plus
 * its {@code credit_holds} row, in one transaction: however many requests race, the database lets through only
 * those the balance covers, and at most {@code maxOpenHolds} at once per account. The ledger's group commit
 * settles each request in the transaction that inserts its row: it gives the hold back if one is still there
 * (deleting it first, so a hold is given back once at most) and always debits the row's actual cost, even when
 * the cost is above the hold (the balance then goes negative and refuses the next request) or the hold was
 * already given back. Holds that no row settled are given back when the request ends; those of an instance that
 * stopped its heartbeat (crashed, killed, cut off) are given back by any other instance.
 */
public final class JdbcCredits implements Credits, CommitHook, AutoCloseable {

    /** Holds written before holds named their instance are given back when this old. */
    public static final Duration STALE_HOLD = Duration.ofHours(1);
    /** An own hold no request of this instance knows (its release failed) is given back when this old. */
    static final Duration LEAKED_HOLD = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(JdbcCredits.class.getName());

    private final Database database;
    private final Clock clock;
    private final long defaultMaxTokens;
    private final int maxOpenHolds;
    private final Duration instanceTimeout;
    private final String instanceId;
    private final ConcurrentHashMap<String, Held> open = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "credit-holds");
                t.setDaemon(true);
                return t;
            });

    /** @param defaultMaxTokens the completion tokens a request without {@code max_tokens} is capped at and held for */
    public JdbcCredits(Database database, Clock clock, long defaultMaxTokens) {
        this(database, clock, defaultMaxTokens, 8, Duration.ofMinutes(2));
    }

    /**
     * @param maxOpenHolds    the holds one account may have at once (requests in flight); more are refused with 429
     * @param instanceTimeout how long an instance may miss its heartbeat before its holds count as abandoned
     */
    public JdbcCredits(Database database, Clock clock, long defaultMaxTokens, int maxOpenHolds, Duration instanceTimeout) {
        this.database = database;
        this.clock = clock;
        this.defaultMaxTokens = defaultMaxTokens;
        this.maxOpenHolds = maxOpenHolds;
        this.instanceTimeout = instanceTimeout;
        this.instanceId = "ins_" + java.util.HexFormat.of().formatHex(
                java.nio.ByteBuffer.allocate(16).putLong(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                        .putLong(System.nanoTime()).array());
    }

    /** This instance's id, which its holds and its heartbeat row carry. */
    public String instanceId() {
        return instanceId;
    }

    private final class Held implements CreditHold {
        final String requestId;
        final String accountId;
        final long amount;
        volatile boolean settled;

        Held(String requestId, String accountId, long amount) {
            this.requestId = requestId;
            this.accountId = accountId;
            this.amount = amount;
        }

        @Override
        public void close() {
            if (!settled && open.remove(requestId, this)) {
                release(requestId, accountId);
            }
        }
    }

    /**
     * A credit-limited caller's request without an output cap gets the cap its hold is taken for, so the provider
     * cannot write (and bill) more than was held; {@code Failover.forRoute} lowers it further for a model that
     * gives less. Callers without a credit limit keep sending no cap.
     */
    @Override
    public ConversationRequest capped(RequestContext ctx, ConversationRequest request) {
        if (!ctx.caller().plan().creditLimited() || request.maxOutputTokens() != null) {
            return request;
        }
        return request.withMaxOutputTokens((int) Math.min(Integer.MAX_VALUE, defaultMaxTokens));
    }

    @Override
    public CreditHold reserve(RequestContext ctx, List<Route> candidates, ConversationRequest request) {
        if (!ctx.caller().plan().creditLimited()) {
            return CreditHold.NONE;
        }
        long worst = worstCase(candidates, request);
        if (worst == 0) {
            return CreditHold.NONE; // free models cost nothing to hold
        }
        String account = ctx.caller().userId();
        Held held = new Held(ctx.requestId(), account, worst);
        open.put(ctx.requestId(), held); // before the hold exists, so the sweeper never takes it for a leaked one
        boolean taken = false;
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE accounts SET credit_micros = credit_micros - ? WHERE id = ? AND credit_micros >= ?")) {
                    ps.setLong(1, worst);
                    ps.setString(2, account);
                    ps.setLong(3, worst);
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    c.rollback();
                    throw insufficient(balance(c, account), worst);
                }
                // The UPDATE holds the account's row lock until commit, so this count sees every hold of the
                // account that any instance committed, and no other reservation of it can interleave.
                long openHolds = openHolds(c, account);
                if (openHolds >= maxOpenHolds) {
                    c.rollback();
                    throw tooManyOpen(openHolds);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_holds (request_id, account_id,"
                        + " amount_micros, created_ms, instance_id) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, ctx.requestId());
                    ps.setString(2, account);
                    ps.setLong(3, worst);
                    ps.setLong(4, clock.millis());
                    ps.setString(5, instanceId);
                    ps.executeUpdate();
                }
                c.commit();
                taken = true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + ctx.requestId() + ": cannot hold credits: " + e.getMessage());
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "the gateway cannot check your credit balance right now; try again",
                    Map.of("reason", "credits_unavailable"), Duration.ofSeconds(1));
        } finally {
            if (!taken) {
                open.remove(ctx.requestId(), held);
            }
        }
        return held;
    }

    /**
     * The most any candidate could cost: the prompt as estimated, at the model's highest input price (a cache
     * write costs more than plain input), plus the output cap (or the reserve's) at its output price.
     */
    long worstCase(List<Route> candidates, ConversationRequest request) {
        long prompt = TokenEstimator.estimate(request);
        long output = request.maxOutputTokens() != null ? request.maxOutputTokens() : defaultMaxTokens;
        long worst = 0;
        for (Route r : candidates) {
            worst = Math.max(worst, r.model().worstCaseMicros(prompt, output));
        }
        return worst;
    }

    private static long openHolds(Connection c, String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM credit_holds WHERE account_id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * 429, not 402: the balance may well cover the request; what is exhausted is the account's share of requests
     * in flight, which comes back as soon as one of them ends. It bounds how far a burst of requests can overrun
     * a balance (each may cost somewhat more than its hold), and one account's share of the gateway.
     */
    private ApiError tooManyOpen(long openHolds) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "open_holds");
        details.put("open_requests", openHolds);
        details.put("limit", maxOpenHolds);
        return new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "too many requests in flight: this account already has "
                + openHolds + " requests running (the most at once is " + maxOpenHolds + "); wait for one to finish",
                details, Duration.ofSeconds(1));
    }

    private static ApiError insufficient(long balance, long required) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "credits");
        details.put("balance_micros", balance);
        details.put("required_micros", required);
        return new ApiError(ErrorCode.PAYMENT_REQUIRED, "not enough credits: the balance is "
                + Money.format(balance) + " and this request may cost up to " + Money.format(required)
                + "; add credits, or lower max_tokens", details, null);
    }

    private static long balance(Connection c, String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT credit_micros FROM accounts WHERE id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** An account's balance in micro-dollars (0 for an unknown account). */
    public long balance(String accountId) throws SQLException {
        try (Connection c = database.connection()) {
            return balance(c, accountId);
        }
    }

    /**
     * Settles each newly inserted row: gives back its hold if it still exists and debits its actual cost, hold or
     * no hold, without a floor (a balance below zero refuses the next reservation). Accounts are updated in id
     * order, so the writers of several instances never deadlock on each other's rows.
     */
    @Override
    public void inTransaction(Connection c, List<LedgerRow> rows) throws SQLException {
        java.util.TreeMap<String, Long> deltas = new java.util.TreeMap<>();
        for (LedgerRow row : rows) {
            String account = row.userId();
            long delta = -row.costMicros();
            HoldRow hold = holdOf(c, row.requestId());
            if (hold != null && deleteHold(c, row.requestId())) {
                account = hold.accountId();
                delta += hold.amount();
            }
            if (delta != 0 && account != null) {
                deltas.merge(account, delta, Long::sum);
            }
        }
        for (Map.Entry<String, Long> d : deltas.entrySet()) {
            credit(c, d.getKey(), d.getValue());
        }
    }

    private record HoldRow(String accountId, long amount) {
    }

    private static HoldRow holdOf(Connection c, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT account_id, amount_micros FROM credit_holds WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new HoldRow(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    @Override
    public void committed(List<LedgerRow> rows) {
        for (LedgerRow row : rows) {
            Held held = open.remove(row.requestId());
            if (held != null) {
                held.settled = true;
            }
        }
    }

    /** Gives back a hold no ledger row settled. */
    private void release(String requestId, String accountId) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                long amount = holdAmount(c, requestId);
                if (deleteHold(c, requestId)) {
                    credit(c, accountId, amount);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + ": could not give back held credits ("
                    + e.getMessage() + "); they are given back at the next start");
        }
    }

    /**
     * Writes this instance's heartbeat now, then every quarter of the instance timeout, each time also giving back
     * the holds of instances that are gone.
     */
    public void sweepStaleHolds() {
        try {
            heartbeat();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write this instance's heartbeat: " + e.getMessage());
        }
        long every = Math.max(1000, instanceTimeout.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
                releaseOrphaned();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not give back abandoned credit holds: " + e.getMessage());
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Records that this instance is alive (its holds belong to requests still running). */
    public void heartbeat() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO instances (id, heartbeat_ms) VALUES (?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms")) {
            ps.setString(1, instanceId);
            ps.setLong(2, clock.millis());
            ps.executeUpdate();
        }
    }

    /** Stops the heartbeat and removes this instance's row, so other instances give back any hold it leaves. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM instances WHERE id = ?")) {
            ps.setString(1, instanceId);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove this instance's heartbeat: " + e.getMessage());
        }
    }

    /**
     * Gives back the holds no running request owns: those of instances whose heartbeat is older than the
     * instance timeout (or that have none), those of this instance that none of its requests knows (a release
     * that failed), and holds older than {@link #STALE_HOLD} that name no instance (written before holds did).
     * A request whose hold is given back while it still runs (an instance cut off from the database for longer
     * than the timeout) is still debited in full when its row commits. Returns how many were given back.
     */
    public int releaseOrphaned() throws SQLException {
        long now = clock.millis();
        List<String[]> orphaned = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT h.request_id, h.account_id, h.instance_id, h.created_ms FROM credit_holds h"
                        + " WHERE (h.instance_id IS NULL AND h.created_ms < ?)"
                        + " OR (h.instance_id = ? AND h.created_ms < ?)"
                        + " OR (h.instance_id <> ? AND NOT EXISTS (SELECT 1 FROM instances i"
                        + " WHERE i.id = h.instance_id AND i.heartbeat_ms >= ?))")) {
            ps.setLong(1, now - STALE_HOLD.toMillis());
            ps.setString(2, instanceId);
            ps.setLong(3, now - LEAKED_HOLD.toMillis());
            ps.setString(4, instanceId);
            ps.setLong(5, now - instanceTimeout.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String requestId = rs.getString(1);
                    if (instanceId.equals(rs.getString(3)) && open.containsKey(requestId)) {
                        continue; // a request of ours still running
                    }
                    orphaned.add(new String[]{requestId, rs.getString(2)});
                }
            }
        }
        orphaned.forEach(s -> release(s[0], s[1]));
        forgetDeadInstances(now);
        return orphaned.size();
    }

    private void forgetDeadInstances(long now) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM instances WHERE heartbeat_ms < ? AND id <> ?"
                        + " AND NOT EXISTS (SELECT 1 FROM credit_holds h WHERE h.instance_id = instances.id)")) {
            ps.setLong(1, now - instanceTimeout.toMillis());
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    private static long holdAmount(Connection c, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT amount_micros FROM credit_holds WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static boolean deleteHold(Connection c, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM credit_holds WHERE request_id = ?")) {
            ps.setString(1, requestId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Adds {@code delta} (negative when the request cost more than was held); a balance may go below zero. */
    private static void credit(Connection c, String accountId, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE accounts SET credit_micros = credit_micros + ? WHERE id = ?")) {
            ps.setLong(1, delta);
            ps.setString(2, accountId);
            ps.executeUpdate();
        }
    }
}
