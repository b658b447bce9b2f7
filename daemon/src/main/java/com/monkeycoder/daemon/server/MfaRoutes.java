package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.mfa.MfaService;
import com.monkeycoder.daemon.mfa.QrSvg;
import io.undertow.server.RoutingHandler;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two-factor authentication of the caller's account (README, "Sessions and MFA"). Every route needs the
 * {@code keys} scope (a session's access token, or the key register or login gave), never a narrower key such as
 * a CI key's. Enrolling needs the current password; confirming and disabling need a current code. The dashboard's
 * signed-in browser may call them too (its session carries the keys scope).
 */
final class MfaRoutes {

    private final AccountServices services;
    private final ClientAddresses clients;

    private MfaRoutes(AccountServices services, ClientAddresses clients) {
        this.services = services;
        this.clients = clients;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AccountServices services, ClientAddresses clients) {
        MfaRoutes r = new MfaRoutes(services, clients);
        // .browser(): the dashboard's Security page calls them with its cookie (and CSRF token on the POSTs)
        routes.get("/v1/auth/mfa", new Endpoint(ctx, r::status, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .post("/v1/auth/mfa/enrol", new Endpoint(ctx, r::enrol, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .post("/v1/auth/mfa/confirm", new Endpoint(ctx, r::confirm, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser())
                .post("/v1/auth/mfa/disable", new Endpoint(ctx, r::disable, true, ErrorStyle.NATIVE, KeyScope.KEYS).browser());
    }

    private MfaService mfa() {
        if (services.mfa() == null) {
            throw ApiError.notFound("two-factor authentication belongs to a shared gateway's accounts; the local"
                    + " daemon has one user and no passwords");
        }
        return services.mfa();
    }

    private void status(HttpCall call) throws SQLException {
        MfaService.Status s = mfa().status(call.caller().userId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", s.enabled());
        out.put("pending", s.pending());
        out.put("recovery_codes_left", s.recoveryCodesLeft());
        out.put("enabled_at", s.enabledMs() == null ? null : Instant.ofEpochMilli(s.enabledMs()).toString());
        call.sendJson(200, out);
    }

    private void enrol(HttpCall call) throws SQLException {
        MfaService mfa = mfa();
        JsonNode body = call.bodyTree();
        Account account = services.service().confirmPassword(call.caller().userId(), AccountRoutes.text(body, "password"));
        MfaService.Enrolment e = mfa.enrol(account);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", e.secret());
        out.put("otpauth_uri", e.uri());
        // the same URI as a QR code, drawn here: the dashboard shows it as an image, no outside service sees it
        out.put("qr_svg", QrSvg.of(e.uri()));
        out.put("status", "pending");
        out.put("next", "POST /v1/auth/mfa/confirm with {\"code\": \"123456\"} from your authenticator app");
        call.sendJson(200, out);
    }

    private void confirm(HttpCall call) throws SQLException {
        MfaService mfa = mfa();
        List<String> codes = mfa.confirm(call.caller().userId(), AccountRoutes.text(call.bodyTree(), "code"),
                clients.origin(call));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", true);
        out.put("recovery_codes", codes);
        call.sendJson(200, out);
    }

    private void disable(HttpCall call) throws SQLException {
        mfa().disable(call.caller().userId(), AccountRoutes.text(call.bodyTree(), "code"), clients.origin(call));
        call.sendJson(200, Map.of("enabled", false));
    }
}
