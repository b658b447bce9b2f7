package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.dialects.JsonFields;
import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.accounts.ApiKeyRecord;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.shared.net.Cidr;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;

/**
 * The account routes of the README ("Errors"): register, login, the caller's keys, and {@code GET /usage}. On the local
 * daemon, which has one user and key, the account routes answer 404 with a word on why.
 */
final class AccountRoutes {

    private final AccountServices services;
    private final Clock clock;
    private final ClientAddresses clients;

    private AccountRoutes(AccountServices services, Clock clock, ClientAddresses clients) {
        this.services = services;
        this.clock = clock;
        this.clients = clients;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AccountServices services, Clock clock,
                      ClientAddresses clients) {
        AccountRoutes r = new AccountRoutes(services, clock, clients);
        routes.post("/v1/auth/register", new Endpoint(ctx, r::register, false, ErrorStyle.NATIVE))
                .post("/v1/auth/login", new Endpoint(ctx, r::login, false, ErrorStyle.NATIVE))
                .get("/v1/auth/keys", new Endpoint(ctx, r::listKeys, true, ErrorStyle.NATIVE).browser())
                .post("/v1/auth/keys", new Endpoint(ctx, r::createKey, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .delete("/v1/auth/keys/{id}", new Endpoint(ctx, r::revokeKey, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .get("/usage", new Endpoint(ctx, r::usage, true, ErrorStyle.NATIVE).browser());
    }

    private AccountService service() {
        if (services.service() == null) {
            throw ApiError.notFound("accounts belong to a shared gateway (monkey daemon run --mode gateway);"
                    + " the local daemon has one user, whose key is in state/local.key");
        }
        return services.service();
    }

    private void register(HttpCall call) throws SQLException {
        AccountService accounts = service();
        JsonNode body = call.bodyTree();
        AccountService.Session s = accounts.register(text(body, "email"), text(body, "password"), clientAddress(call),
                clients.origin(call));
        Map<String, Object> out = session(s);
        // With mail, the starter credits wait for the link just mailed; clients say so.
        out.put("verification_sent", accounts.mail().enabled());
        call.sendJson(201, out);
    }

    private void login(HttpCall call) throws SQLException {
        AccountService accounts = service();
        JsonNode body = call.bodyTree();
        AccountService.Session s = accounts.login(text(body, "email"), text(body, "password"), text(body, "totp_code"),
                clientAddress(call), clients.origin(call));
        call.sendJson(200, session(s));
    }

    private void listKeys(HttpCall call) throws SQLException {
        long now = clock.millis();
        call.sendJson(200, Map.of("keys", service().keys(call.caller()).stream()
                .map(k -> AccountService.describe(k, now)).toList()));
    }

    private void createKey(HttpCall call) throws SQLException {
        AccountService accounts = service();
        JsonNode body = call.body().length == 0 ? com.monkeycoder.shared.Json.mapper().createObjectNode() : call.bodyTree();
        Integer days = JsonFields.integer(body, "expires_in_days");
        Integer perHour = JsonFields.integer(body, "requests_per_hour");
        Integer perMonth = JsonFields.integer(body, "requests_per_month");
        AccountService.NewKey created = accounts.createKey(call.caller(), text(body, "name"), days,
                perHour == null ? null : perHour.longValue(), perMonth == null ? null : perMonth.longValue(),
                scopes(body), cidrs(body), bool(body, "test"), clients.origin(call));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key_id", created.key().id());
        out.put("api_key", created.apiKey());
        out.putAll(AccountService.describe(created.key(), clock.millis()));
        out.remove("id");
        call.sendJson(201, out);
    }

    private void revokeKey(HttpCall call) throws SQLException {
        service().revoke(call.caller(), call.pathParam("id"), clients.origin(call));
        call.exchange().setStatusCode(204);
    }

    private void usage(HttpCall call) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>(services.admission().usage(call.caller().accountSubject(),
                call.caller().keySubject(), call.caller().plan()));
        if (services.balances() != null && call.caller().plan().creditLimited()) {
            long micros = services.balances().balance(call.caller().userId());
            body.put("credit_micros", micros);
            body.put("credit_usd", micros / 1e6);
        }
        call.sendJson(200, body);
    }

    private static Map<String, Object> session(AccountService.Session s) {
        ApiKeyRecord key = s.key();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", s.account().id());
        out.put("email", s.account().email());
        out.put("tier", s.account().tier().wireName());
        out.put("api_key", s.apiKey());
        out.put("key_id", key.id());
        out.put("key_prefix", key.prefix());
        out.put("credit_micros", s.account().creditMicros());
        out.put("scopes", KeyScope.names(key.scopes()));
        return out;
    }

    /** {@code "scopes": ["chat", ...]}, or null when absent; anything else, or an unknown name, is a 422. */
    private static Set<KeyScope> scopes(JsonNode body) {
        JsonNode v = body.get("scopes");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.validation("scopes", "must be an array of scope names: chat, keys, billing, admin");
        }
        EnumSet<KeyScope> out = EnumSet.noneOf(KeyScope.class);
        for (JsonNode item : v) {
            KeyScope scope = item.isTextual() ? KeyScope.parse(item.asText()).orElse(null) : null;
            if (scope == null) {
                throw ApiError.validation("scopes", "holds " + item + ", which is not one of chat, keys, billing, admin");
            }
            out.add(scope);
        }
        return out;
    }

    /** {@code "allowed_cidrs": ["203.0.113.0/24", ...]}, or null when absent; anything else is a 422. */
    private static java.util.List<Cidr> cidrs(JsonNode body) {
        JsonNode v = body.get("allowed_cidrs");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.validation("allowed_cidrs", "must be an array of address blocks such as \"203.0.113.0/24\"");
        }
        java.util.List<Cidr> out = new java.util.ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiError.validation("allowed_cidrs", "holds " + item + ", which is not a string");
            }
            try {
                out.add(Cidr.parse(item.asText()));
            } catch (IllegalArgumentException e) {
                throw ApiError.validation("allowed_cidrs", e.getMessage());
            }
        }
        return out;
    }

    /** A boolean field, false when absent; any other type is a 422 naming the field. */
    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.validation(field, "must be true or false");
        }
        return v.asBoolean();
    }

    /** A string field, or null when absent; any other type is a 422 naming the field. */
    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.validation(field, "must be a string");
        }
        return v.asText();
    }

    /** The client's throttle bucket: the peer, or the address a trusted proxy reports; IPv6 by its /64. */
    private String clientAddress(HttpCall call) {
        InetSocketAddress source = call.exchange().getSourceAddress();
        return clients.bucket(source == null ? null : source.getAddress(), call.exchange().getRequestHeaders());
    }
}
