package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.AuditLog;
import com.monkeycoder.daemon.audit.AuditPage;
import com.monkeycoder.daemon.audit.AuditQuery;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import io.undertow.server.RoutingHandler;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/audit}: the audit log, newest first, paged by cursor. A caller sees the events of its own account;
 * a key with the admin scope sees every account's (or one, with {@code account=}). Filters: {@code since} and
 * {@code until} (ISO-8601 instants), {@code action}, {@code before} (the {@code next} cursor of the page before) and
 * {@code limit} (1 to 500, 50 by default).
 */
final class AuditRoute {

    static final int DEFAULT_LIMIT = 50;

    private final AuditLog audit;

    private AuditRoute(AuditLog audit) {
        this.audit = audit;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AuditLog audit) {
        AuditRoute r = new AuditRoute(audit);
        routes.get("/v1/audit", new Endpoint(ctx, r::page, true, ErrorStyle.NATIVE).browser());
    }

    private void page(HttpCall call) throws SQLException {
        if (audit == null) {
            throw ApiError.notFound("the audit log belongs to a shared gateway (monkey daemon run --mode gateway);"
                    + " the local daemon has one user and no accounts to audit");
        }
        boolean admin = call.caller().has(KeyScope.ADMIN);
        String account = call.query("account");
        if (account != null && !admin) {
            throw new ApiError(com.monkeycoder.daemon.errors.ErrorCode.FORBIDDEN,
                    "only a key with the 'admin' scope reads other accounts' events; leave out account=");
        }
        String action = call.query("action");
        if (action != null && !AuditActions.ALL.contains(action)) {
            throw ApiError.validation("action", "is not an action the audit log records: one of "
                    + String.join(", ", new java.util.TreeSet<>(AuditActions.ALL)));
        }
        String before = call.query("before");
        if (before != null && !before.matches("aud_[0-9a-f]{28}")) {
            throw ApiError.validation("before", "must be the 'next' cursor of an earlier page");
        }
        AuditQuery query = new AuditQuery(admin ? account : call.caller().userId(), instant(call, "since"),
                instant(call, "until"), action, before, limit(call.query("limit")));
        AuditPage page = audit.page(query);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", page.events().stream().map(AuditRoute::event).toList());
        out.put("next", page.next());
        call.sendJson(200, out);
    }

    private static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("time", Instant.ofEpochMilli(e.timeMs()).toString());
        out.put("account_id", e.accountId());
        out.put("actor", e.actor());
        out.put("action", e.action());
        out.put("target", e.target());
        out.put("client_address", e.origin().address());
        out.put("user_agent", e.origin().userAgent());
        out.put("details", e.details());
        return out;
    }

    private static Long instant(HttpCall call, String name) {
        String value = call.query(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiError.validation(name, "must be an ISO-8601 instant such as 2026-11-29T12:00:00Z");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= AuditQuery.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation("limit", "must be a whole number from 1 to " + AuditQuery.MAX_LIMIT);
    }
}
