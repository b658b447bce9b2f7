package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.config.SessionSettings;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.sessions.SessionRecord;
import com.monkeycoder.daemon.sessions.SessionService;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sign-in sessions (README, "Sessions and MFA"): {@code POST /v1/auth/session} (password and, when on, the second
 * factor) answers an access token and a refresh token; {@code POST /v1/auth/session/refresh} rotates them;
 * {@code DELETE /v1/auth/session} ends the caller's session; {@code GET /v1/auth/sessions} and
 * {@code DELETE /v1/auth/sessions/{id}} list and end the account's sessions. Without {@code JWT_SECRET_KEY} they
 * answer 503 naming it; on the local daemon 404, as the account routes do.
 */
final class AuthSessionRoutes {

    private final AccountServices services;
    private final Clock clock;
    private final ClientAddresses clients;

    private AuthSessionRoutes(AccountServices services, Clock clock, ClientAddresses clients) {
        this.services = services;
        this.clock = clock;
        this.clients = clients;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AccountServices services, Clock clock,
                      ClientAddresses clients) {
        AuthSessionRoutes r = new AuthSessionRoutes(services, clock, clients);
        routes.post("/v1/auth/session", new Endpoint(ctx, r::create, false, ErrorStyle.NATIVE))
                .post("/v1/auth/session/refresh", new Endpoint(ctx, r::refresh, false, ErrorStyle.NATIVE))
                .delete("/v1/auth/session", new Endpoint(ctx, r::revokeCurrent, true, ErrorStyle.NATIVE))
                .get("/v1/auth/sessions", new Endpoint(ctx, r::list, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .delete("/v1/auth/sessions/{id}", new Endpoint(ctx, r::revoke, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser());
    }

    private SessionService sessions() {
        if (services.service() == null) {
            throw ApiError.notFound("sessions belong to a shared gateway (monkey daemon run --mode gateway);"
                    + " the local daemon has one user, whose key is in state/local.key");
        }
        if (services.sessions() == null) {
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "sessions are off on this gateway: its operator has"
                    + " not set " + SessionSettings.JWT_SECRET_ENV + " (at least 32 random bytes, the same on every"
                    + " instance); API keys work without it", Map.of("reason", "sessions_unconfigured",
                    "variable", SessionSettings.JWT_SECRET_ENV), null);
        }
        return services.sessions();
    }

    private void create(HttpCall call) throws SQLException {
        SessionService sessions = sessions();
        JsonNode body = call.bodyTree();
        SessionService.Tokens t = sessions.create(AccountRoutes.text(body, "email"), AccountRoutes.text(body, "password"),
                AccountRoutes.text(body, "totp_code"), clientAddress(call), clients.origin(call));
        call.sendJson(201, tokens(t, sessions));
    }

    private void refresh(HttpCall call) throws SQLException {
        SessionService sessions = sessions();
        JsonNode body = call.bodyTree();
        SessionService.Tokens t = sessions.refresh(AccountRoutes.text(body, "refresh_token"), clients.origin(call));
        call.sendJson(200, tokens(t, sessions));
    }

    private void revokeCurrent(HttpCall call) throws SQLException {
        sessions().revokeCurrent(call.caller(), clients.origin(call));
        call.exchange().setStatusCode(204);
    }

    private void list(HttpCall call) throws SQLException {
        String current = SessionService.isSession(call.caller()) ? call.caller().keyId() : null;
        call.sendJson(200, Map.of("sessions", sessions().sessions(call.caller()).stream()
                .map(s -> describe(s, s.id().equals(current))).toList()));
    }

    private void revoke(HttpCall call) throws SQLException {
        sessions().revoke(call.caller(), call.pathParam("id"), clients.origin(call));
        call.exchange().setStatusCode(204);
    }

    private Map<String, Object> tokens(SessionService.Tokens t, SessionService sessions) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", t.accessToken());
        out.put("token_type", "Bearer");
        out.put("expires_in", sessions.accessLifetime().toSeconds());
        out.put("expires_at", Instant.ofEpochMilli(t.accessExpiresMs()).toString());
        out.put("refresh_token", t.refreshToken());
        out.put("refresh_expires_at", Instant.ofEpochMilli(t.session().expiresMs()).toString());
        out.put("session_id", t.session().id());
        out.put("user_id", t.account().id());
        out.put("email", t.account().email());
        out.put("tier", t.account().tier().wireName());
        return out;
    }

    private static Map<String, Object> describe(SessionRecord s, boolean current) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("created_at", Instant.ofEpochMilli(s.createdMs()).toString());
        out.put("last_used_at", Instant.ofEpochMilli(s.lastUsedMs()).toString());
        out.put("expires_at", Instant.ofEpochMilli(s.expiresMs()).toString());
        out.put("client_address", s.clientAddress());
        out.put("user_agent", s.userAgent());
        out.put("current", current);
        return out;
    }

    private String clientAddress(HttpCall call) {
        InetSocketAddress source = call.exchange().getSourceAddress();
        return clients.bucket(source == null ? null : source.getAddress(), call.exchange().getRequestHeaders());
    }
}
