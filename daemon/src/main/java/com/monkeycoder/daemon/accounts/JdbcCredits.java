package com.monkeycoder.daemon.accounts;

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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credits in the accounts table. A hold is one conditional {@code UPDATE ... WHERE credit_micros >= amount} plus
 * its {@code credit_holds} row, in one transaction: however many requests race, the database lets through only
 * those the balance covers, so it never goes below zero. The ledger's group commit settles each hold in the
 * transaction that inserts the request's row (deleting the hold first, so a settlement happens once at most);
 * holds that no row settled are given back when the request ends, and at start for a crashed instance's.
 */
public final class JdbcCredits implements Credits, CommitHook, AutoCloseable {

    /** No request lives this long, so a hold this old belongs to an instance that died mid-request. */
    public static final Duration STALE_HOLD = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger(JdbcCredits.class.getName());

    private final Database database;
    private final Clock clock;
    private final long defaultMaxTokens;
    private final ConcurrentHashMap<String, Held> open = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "credit-holds");
                t.setDaemon(true);
                return t;
            });

    /** @param defaultMaxTokens the completion tokens a request without {@code max_tokens} is assumed to use at most */
    public JdbcCredits(Database database, Clock clock, long defaultMaxTokens) {
        this.database = database;
        this.clock = clock;
        this.defaultMaxTokens = defaultMaxTokens;
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
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                int taken;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE accounts SET credit_micros = credit_micros - ? WHERE id = ? AND credit_micros >= ?")) {
                    ps.setLong(1, worst);
                    ps.setString(2, account);
                    ps.setLong(3, worst);
                    taken = ps.executeUpdate();
                }
                if (taken == 0) {
                    c.rollback();
                    throw insufficient(balance(c, account), worst);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_holds (request_id, account_id,"
                        + " amount_micros, created_ms) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, ctx.requestId());
                    ps.setString(2, account);
                    ps.setLong(3, worst);
                    ps.setLong(4, clock.millis());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + ctx.requestId() + ": cannot hold credits: " + e.getMessage());
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "the gateway cannot check your credit balance right now; try again",
                    Map.of("reason", "credits_unavailable"), Duration.ofSeconds(1));
        }
        Held held = new Held(ctx.requestId(), account, worst);
        open.put(ctx.requestId(), held);
        return held;
    }

    /** The most any candidate could cost: the prompt as estimated plus {@code max_tokens} of output. */
    long worstCase(List<Route> candidates, ConversationRequest request) {
        long prompt = TokenEstimator.estimate(request);
        long output = request.maxOutputTokens() != null ? request.maxOutputTokens() : defaultMaxTokens;
        long worst = 0;
        for (Route r : candidates) {
            worst = Math.max(worst, r.model().costMicros(prompt, output));
        }
        return worst;
    }

    private static ApiError insufficient(long balance, long required) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "credits");
        details.put("balance_micros", balance);
        details.put("required_micros", required);
        return new ApiError(ErrorCode.PAYMENT_REQUIRED, String.format(Locale.ROOT,
                "not enough credits: the balance is $%.6f and this request may cost up to $%.6f;"
                        + " add credits, or lower max_tokens", balance / 1e6, required / 1e6), details, null);
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

    @Override
    public void inTransaction(Connection c, List<LedgerRow> rows) throws SQLException {
        for (LedgerRow row : rows) {
            Held held = open.get(row.requestId());
            if (held != null && deleteHold(c, row.requestId())) {
                credit(c, held.accountId, held.amount - row.costMicros());
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

    /** Gives back stale holds now and then every ten minutes, whichever instance left them. */
    public void sweepStaleHolds() {
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                releaseStale(STALE_HOLD);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not give back stale credit holds: " + e.getMessage());
            }
        }, 0, 10, java.util.concurrent.TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /**
     * Gives back holds older than {@code age}: left by an instance that died mid-request (no request lives that
     * long, so none of them is still running anywhere). Returns how many.
     */
    public int releaseStale(Duration age) throws SQLException {
        List<String[]> stale = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT request_id, account_id FROM credit_holds WHERE created_ms < ?")) {
            ps.setLong(1, clock.millis() - age.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stale.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        stale.forEach(s -> release(s[0], s[1]));
        return stale.size();
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

    /** Adds {@code delta} (negative when the request cost more than was held), never taking a balance below zero. */
    private static void credit(Connection c, String accountId, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET credit_micros = CASE WHEN credit_micros + ? < 0"
                + " THEN 0 ELSE credit_micros + ? END WHERE id = ?")) {
            ps.setLong(1, delta);
            ps.setLong(2, delta);
            ps.setString(3, accountId);
            ps.executeUpdate();
        }
    }
}
