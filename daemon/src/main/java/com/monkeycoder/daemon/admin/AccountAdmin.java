package com.monkeycoder.daemon.admin;

import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.SessionEnder;
import com.monkeycoder.daemon.accounts.AccountStore;
import com.monkeycoder.daemon.accounts.ApiKeyRecord;
import com.monkeycoder.daemon.accounts.JdbcAccountStore;
import com.monkeycoder.daemon.accounts.Revocations;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.billing.PlanCatalog;
import com.monkeycoder.daemon.billing.PricePlan;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.daemon.store.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an administrator does to other accounts: list and read them, grant or take back credits with a reason,
 * change their plan or tier, disable and enable them, and read usage across accounts. Every change is written with
 * its audit entry (the admin's account id as actor) in one transaction, then signalled to every gateway instance,
 * so a disabled account's keys and a new tier's limits apply on the next request wherever it lands.
 */
public final class AccountAdmin {

    /** The most one grant or removal may move: a typo of a few zeros should not mint a fortune. */
    public static final BigDecimal MAX_CREDIT_CHANGE_USD = BigDecimal.valueOf(100_000);
    public static final int MAX_REASON = 500;
    public static final int MAX_PAGE = 200;
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,19})_(usr_[0-9a-f]{1,64})");

    private final Database database;
    private final AccountStore store;
    private final AccountChanges changes;
    private final Revocations revocations;
    private final PlanCatalog plans;
    private final SessionEnder sessions;

    /** @param sessions ends a disabled account's sign-in sessions, so enabling it again does not bring them back */
    public AccountAdmin(Database database, AccountStore store, AccountChanges changes, Revocations revocations,
                        PlanCatalog plans, SessionEnder sessions) {
        this.sessions = sessions;
        this.database = database;
        this.store = store;
        this.changes = changes;
        this.revocations = revocations;
        this.plans = plans;
    }

    /** A page of accounts, newest first; {@code next} is the cursor of the following page, null at the end. */
    public record AccountPage(List<Account> accounts, String next) {
    }

    /** One account's use of the gateway over a window, as the ledger has it. */
    public record AccountUsage(String accountId, String email, long requests, long errors, long promptTokens,
                               long completionTokens, long costMicros) {
    }

    /** One account in full: the account, its keys (never the keys themselves) and its latest balance changes. */
    public record AccountDetail(Account account, List<ApiKeyRecord> keys,
                                List<AccountChanges.CreditAdjustment> credits) {
    }

    /**
     * @param emailContains part of an email, any case; null for every account
     * @param after         the {@code next} cursor of the page before, or null for the first
     */
    public AccountPage accounts(String emailContains, String after, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiError.validation("limit", "must be a whole number from 1 to " + MAX_PAGE);
        }
        StringBuilder sql = new StringBuilder("SELECT " + JdbcAccountStore.ACCOUNT_COLUMNS + " FROM accounts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (emailContains != null && !emailContains.isBlank()) {
            if (emailContains.length() > 254) {
                throw ApiError.validation("email", "must be at most 254 characters");
            }
            // The filter is data, never a pattern: % and _ in it match themselves.
            String escaped = emailContains.strip().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            sql.append(" AND email LIKE ? ESCAPE '\\'");
            args.add("%" + escaped + "%");
        }
        if (after != null) {
            var m = CURSOR.matcher(after);
            if (!m.matches()) {
                throw ApiError.validation("after", "must be the 'next' cursor of an earlier page");
            }
            sql.append(" AND (created_ms < ? OR (created_ms = ? AND id < ?))");
            long created = Long.parseLong(m.group(1));
            args.add(created);
            args.add(created);
            args.add(m.group(2));
        }
        sql.append(" ORDER BY created_ms DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        List<Account> out = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JdbcAccountStore.account(rs));
                }
            }
        }
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            Account last = out.getLast();
            next = last.createdMs() + "_" + last.id();
        }
        return new AccountPage(List.copyOf(out), next);
    }

    public AccountDetail account(String accountId) throws SQLException {
        Account account = existing(accountId);
        return new AccountDetail(account, store.keys(accountId), changes.creditHistory(accountId, 20));
    }

    /**
     * Adds (positive) or takes back (negative) credits. A balance may go below zero; its requests are then refused
     * with 402 until it is topped up.
     */
    public Account adjustCredits(String adminId, String accountId, BigDecimal amountUsd, String reason, Origin origin)
            throws SQLException {
        if (amountUsd == null) {
            throw ApiError.validation("amount_usd", "is required: a number of dollars, positive to add, negative to remove");
        }
        if (amountUsd.signum() == 0 || amountUsd.abs().compareTo(MAX_CREDIT_CHANGE_USD) > 0
                || amountUsd.stripTrailingZeros().scale() > 6) {
            throw ApiError.validation("amount_usd", "must be a non-zero amount of at most " + MAX_CREDIT_CHANGE_USD
                    + " dollars, to the micro-dollar (6 decimals)");
        }
        String why = reason(reason, true);
        long micros = amountUsd.movePointRight(6).longValueExact();
        existing(accountId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("amount_micros", micros);
        details.put("amount_usd", amountUsd.abs().setScale(Math.max(2, amountUsd.stripTrailingZeros().scale()))
                .toPlainString());
        details.put("reason", why);
        String action = micros > 0 ? AuditActions.CREDITS_ADDED : AuditActions.CREDITS_REMOVED;
        if (!changes.adjustCredits(accountId, micros, AccountChanges.Kind.ADMIN, null, why,
                AuditEvent.of(action, accountId, adminId, accountId, origin, details))) {
            throw noAccount(accountId);
        }
        return existing(accountId);
    }

    public Account setTier(String adminId, String accountId, String tierName, Origin origin) throws SQLException {
        Tier tier = Tier.parse(tierName).orElseThrow(() -> ApiError.validation("tier",
                "must be one of free, pro, enterprise, unlimited"));
        Account before = existing(accountId);
        if (!changes.setTier(accountId, tier, AuditEvent.of(AuditActions.TIER_CHANGED, accountId, adminId, accountId,
                origin, Map.of("from", before.tier().wireName(), "to", tier.wireName())))) {
            throw noAccount(accountId);
        }
        revocations.accountChanged(accountId);
        return existing(accountId);
    }

    /** Puts the account on one of the catalog's plans, and so on that plan's tier. */
    public Account setPlan(String adminId, String accountId, String planName, Origin origin) throws SQLException {
        if (planName == null || planName.isBlank()) {
            throw ApiError.validation("plan", "is required: one of " + planNames());
        }
        PricePlan plan = plans.named(planName.strip()).orElseThrow(() -> ApiError.validation("plan",
                "is not a plan of this gateway: one of " + planNames()));
        Account before = existing(accountId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", before.plan());
        details.put("to", plan.name());
        details.put("tier", plan.tier().wireName());
        if (!changes.setPlan(accountId, plan.name(), plan.tier(), AuditEvent.of(AuditActions.PLAN_CHANGED, accountId,
                adminId, accountId, origin, details))) {
            throw noAccount(accountId);
        }
        revocations.accountChanged(accountId);
        return existing(accountId);
    }

    /**
     * Disables the account (its keys get 403 {@code account_disabled} and its logins are refused, on every instance
     * from the next request) or enables it again. An admin cannot disable their own account: that is how the last
     * admin would lock everyone out.
     */
    public Account setDisabled(String adminId, String accountId, boolean disabled, String reason, Origin origin)
            throws SQLException {
        String why = reason(reason, false);
        if (disabled && accountId.equals(adminId)) {
            throw ApiError.validation("id", "is your own account: another admin must disable it");
        }
        existing(accountId);
        Map<String, Object> details = new LinkedHashMap<>();
        if (why != null) {
            details.put("reason", why);
        }
        if (!changes.setDisabled(accountId, disabled, AuditEvent.of(disabled ? AuditActions.ACCOUNT_DISABLED
                : AuditActions.ACCOUNT_ENABLED, accountId, adminId, accountId, origin, details))) {
            throw noAccount(accountId);
        }
        if (disabled) {
            // Refused while disabled in any case; ended, so that whoever held them is not signed in again on enable.
            changes.inTransaction(c -> {
                sessions.endAll(c, accountId, "account_disabled");
                return null;
            });
        }
        revocations.accountChanged(accountId);
        return existing(accountId);
    }

    /** Requests, tokens and cost per account over {@code [fromMs, toMs)}, the costliest first. */
    public List<AccountUsage> usage(long fromMs, long toMs, int limit) throws SQLException {
        String sql = "SELECT l.user_id, a.email, COUNT(*), SUM(CASE WHEN l.status <> 'ok' THEN 1 ELSE 0 END),"
                + " SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.cost_micros) FROM ledger l"
                + " LEFT JOIN accounts a ON a.id = l.user_id WHERE l.created_ms >= ? AND l.created_ms < ?"
                + " GROUP BY l.user_id, a.email ORDER BY 7 DESC, 3 DESC, 1 LIMIT ?";
        List<AccountUsage> out = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccountUsage(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    private Account existing(String accountId) throws SQLException {
        if (accountId == null || accountId.length() > 100) {
            throw noAccount(String.valueOf(accountId));
        }
        return store.account(accountId).orElseThrow(() -> noAccount(accountId));
    }

    private static ApiError noAccount(String accountId) {
        return ApiError.notFound("no account " + accountId + " (GET /v1/admin/accounts lists them)");
    }

    /** A reason as the audit log keeps it: 1 to 500 characters, no control characters. */
    private static String reason(String reason, boolean required) {
        if (reason == null || reason.isBlank()) {
            if (required) {
                throw ApiError.validation("reason", "is required: say why, in 1 to " + MAX_REASON + " characters");
            }
            return null;
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON) {
            throw ApiError.validation("reason", "must be 1 to " + MAX_REASON + " characters");
        }
        if (r.chars().anyMatch(ch -> Character.isISOControl(ch))) {
            throw ApiError.validation("reason", "must be one line of text, without control characters");
        }
        return r;
    }

    private String planNames() {
        return String.join(", ", plans.plans().stream().map(PricePlan::name).toList());
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }
}
