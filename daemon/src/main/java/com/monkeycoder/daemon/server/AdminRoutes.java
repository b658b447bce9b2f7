package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.admin.AccountAdmin;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.shared.Json;
import io.undertow.server.RoutingHandler;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrators' routes under {@code /v1/admin/}: every one needs a key with the {@code admin} scope (403
 * naming it otherwise). They translate HTTP to {@link AccountAdmin}; on the local daemon, which has no accounts,
 * they answer 404.
 */
final class AdminRoutes {

    static final int DEFAULT_PAGE = 50;

    private final AccountAdmin admin;
    private final ClientAddresses clients;
    private final Clock clock;

    private AdminRoutes(AccountAdmin admin, ClientAddresses clients, Clock clock) {
        this.admin = admin;
        this.clients = clients;
        this.clock = clock;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AccountAdmin admin, ClientAddresses clients,
                      Clock clock) {
        AdminRoutes r = new AdminRoutes(admin, clients, clock);
        routes.get("/v1/admin/accounts", endpoint(ctx, r::list))
                .get("/v1/admin/accounts/{id}", endpoint(ctx, r::detail))
                .post("/v1/admin/accounts/{id}/credits", endpoint(ctx, r::credits))
                .put("/v1/admin/accounts/{id}/plan", endpoint(ctx, r::plan))
                .put("/v1/admin/accounts/{id}/tier", endpoint(ctx, r::tier))
                .post("/v1/admin/accounts/{id}/disable", endpoint(ctx, r::disable))
                .post("/v1/admin/accounts/{id}/enable", endpoint(ctx, r::enable))
                .get("/v1/admin/usage", endpoint(ctx, r::usage));
    }

    private static Endpoint endpoint(Endpoint.Context ctx, ApiHandler handler) {
        // .browser(): the dashboard's Admin page; the admin scope is checked for a cookie as for a key (403 without)
        return new Endpoint(ctx, handler, true, ErrorStyle.NATIVE, KeyScope.ADMIN).browser();
    }

    private AccountAdmin admin() {
        if (admin == null) {
            throw ApiError.notFound("administration belongs to a shared gateway (monkey daemon run --mode gateway);"
                    + " the local daemon has one user and no accounts");
        }
        return admin;
    }

    private void list(HttpCall call) throws SQLException {
        AccountAdmin.AccountPage page = admin().accounts(call.query("email"), call.query("after"),
                whole(call.query("limit"), "limit", DEFAULT_PAGE, 1, AccountAdmin.MAX_PAGE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accounts", page.accounts().stream().map(AdminRoutes::account).toList());
        out.put("next", page.next());
        call.sendJson(200, out);
    }

    private void detail(HttpCall call) throws SQLException {
        AccountAdmin.AccountDetail d = admin().account(call.pathParam("id"));
        long now = clock.millis();
        Map<String, Object> out = account(d.account());
        out.put("keys", d.keys().stream().map(k -> AccountService.describe(k, now)).toList());
        out.put("credit_history", d.credits().stream().map(AdminRoutes::adjustment).toList());
        call.sendJson(200, out);
    }

    private void credits(HttpCall call) throws SQLException {
        JsonNode body = body(call);
        Account a = admin().adjustCredits(call.caller().userId(), call.pathParam("id"), dollars(body, "amount_usd"),
                text(body, "reason"), clients.origin(call));
        call.sendJson(200, account(a));
    }

    private void plan(HttpCall call) throws SQLException {
        Account a = admin().setPlan(call.caller().userId(), call.pathParam("id"), text(body(call), "plan"),
                clients.origin(call));
        call.sendJson(200, account(a));
    }

    private void tier(HttpCall call) throws SQLException {
        String tier = text(body(call), "tier");
        if (tier == null) {
            throw ApiError.validation("tier", "is required: one of free, pro, enterprise, unlimited");
        }
        Account a = admin().setTier(call.caller().userId(), call.pathParam("id"), tier, clients.origin(call));
        call.sendJson(200, account(a));
    }

    private void disable(HttpCall call) throws SQLException {
        Account a = admin().setDisabled(call.caller().userId(), call.pathParam("id"), true, text(body(call), "reason"),
                clients.origin(call));
        call.sendJson(200, account(a));
    }

    private void enable(HttpCall call) throws SQLException {
        Account a = admin().setDisabled(call.caller().userId(), call.pathParam("id"), false, text(body(call), "reason"),
                clients.origin(call));
        call.sendJson(200, account(a));
    }

    /** {@code ?days=N} (30 by default) or {@code ?since=ISO[&until=ISO]}; {@code limit} accounts, the costliest. */
    private void usage(HttpCall call) throws SQLException {
        Instant until = instant(call, "until", clock.instant().plusMillis(1));
        Instant since = call.query("since") != null ? instant(call, "since", null)
                : until.minus(Duration.ofDays(whole(call.query("days"), "days", 30, 1, 3660)));
        if (!since.isBefore(until)) {
            throw ApiError.validation("since", "must be before 'until'");
        }
        List<AccountAdmin.AccountUsage> rows = admin().usage(since.toEpochMilli(), until.toEpochMilli(),
                whole(call.query("limit"), "limit", 100, 1, 1000));
        long requests = 0;
        long tokens = 0;
        long cost = 0;
        List<Map<String, Object>> accounts = new java.util.ArrayList<>();
        for (AccountAdmin.AccountUsage u : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("account_id", u.accountId());
            row.put("email", u.email());
            row.put("requests", u.requests());
            row.put("errors", u.errors());
            row.put("prompt_tokens", u.promptTokens());
            row.put("completion_tokens", u.completionTokens());
            row.put("total_tokens", u.promptTokens() + u.completionTokens());
            row.put("cost_micros", u.costMicros());
            row.put("cost_usd", u.costMicros() / 1e6);
            accounts.add(row);
            requests += u.requests();
            tokens += u.promptTokens() + u.completionTokens();
            cost += u.costMicros();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("until", until.toString());
        out.put("accounts", accounts);
        out.put("totals", Map.of("requests", requests, "total_tokens", tokens, "cost_micros", cost, "cost_usd", cost / 1e6));
        call.sendJson(200, out);
    }

    /** An account as the admin routes show it: everything but its password hash. */
    static Map<String, Object> account(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("email", a.email());
        out.put("role", a.role().wireName());
        out.put("tier", a.tier().wireName());
        out.put("plan", a.plan());
        out.put("credit_micros", a.creditMicros());
        out.put("credit_usd", a.creditMicros() / 1e6);
        out.put("created_at", Instant.ofEpochMilli(a.createdMs()).toString());
        out.put("disabled", a.disabled());
        out.put("disabled_at", a.disabledMs() == null ? null : Instant.ofEpochMilli(a.disabledMs()).toString());
        out.put("email_verified", a.emailVerified());
        return out;
    }

    private static Map<String, Object> adjustment(AccountChanges.CreditAdjustment c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("time", Instant.ofEpochMilli(c.createdMs()).toString());
        out.put("amount_micros", c.amountMicros());
        out.put("kind", c.kind());
        out.put("reason", c.reason());
        out.put("actor", c.actor());
        return out;
    }

    private static JsonNode body(HttpCall call) {
        JsonNode body = call.body().length == 0 ? Json.mapper().createObjectNode() : call.bodyTree();
        if (!body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /** A number of dollars, as a JSON number or a string such as "5.00"; null when absent. */
    private static BigDecimal dollars(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            if (v.isNumber()) {
                return v.isFloatingPointNumber() ? new BigDecimal(v.asText()) : v.decimalValue();
            }
            if (v.isTextual() && v.asText().strip().matches("[+-]?\\d{1,9}(\\.\\d{1,6})?")) {
                return new BigDecimal(v.asText().strip());
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.validation(field, "must be a number of dollars such as 5.00 or -2.50");
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.validation(field, "must be a string");
        }
        return v.asText();
    }

    private static int whole(String value, String name, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation(name, "must be a whole number from " + min + " to " + max);
    }

    private static Instant instant(HttpCall call, String name, Instant fallback) {
        String value = call.query(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.validation(name, "must be an ISO-8601 instant such as 2026-01-15T00:00:00Z");
        }
    }
}
