package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.AccountMail;
import com.monkeycoder.daemon.accounts.EmailVerification;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes of mail: verifying an email (the link of the verification mail is {@code GET /v1/auth/verify?token=}),
 * asking for another verification mail, and resetting a forgotten password. Each is HTTP only: what happens is in
 * {@code accounts} ({@link EmailVerification}, {@code PasswordReset}).
 */
final class EmailRoutes {

    private final AccountServices services;
    private final ClientAddresses clients;

    private EmailRoutes(AccountServices services, ClientAddresses clients) {
        this.services = services;
        this.clients = clients;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, AccountServices services, ClientAddresses clients) {
        EmailRoutes r = new EmailRoutes(services, clients);
        routes.get("/v1/auth/verify", new Endpoint(ctx, r::verifyLink, false, ErrorStyle.NATIVE))
                .post("/v1/auth/verify", new Endpoint(ctx, r::verify, false, ErrorStyle.NATIVE))
                .post("/v1/auth/verify/resend", new Endpoint(ctx, r::resend, true, ErrorStyle.NATIVE))
                .post("/v1/auth/password/forgot", new Endpoint(ctx, r::forgot, false, ErrorStyle.NATIVE))
                .post("/v1/auth/password/reset", new Endpoint(ctx, r::reset, false, ErrorStyle.NATIVE));
    }

    private AccountMail mail() {
        if (services.service() == null) {
            throw ApiError.notFound("accounts belong to a shared gateway (monkey daemon run --mode gateway);"
                    + " the local daemon has one user and sends no mail");
        }
        return services.service().mail();
    }

    /** The link in the verification mail, opened in a browser or by {@code monkey auth verify}. */
    private void verifyLink(HttpCall call) throws SQLException {
        verified(call, call.query("token"));
    }

    private void verify(HttpCall call) throws SQLException {
        verified(call, AccountRoutes.text(call.bodyTree(), "token"));
    }

    private void verified(HttpCall call, String token) throws SQLException {
        AccountMail mail = mail();
        if (token == null || token.isBlank()) {
            throw ApiError.validation("token", "is required: the token of the verification mail");
        }
        EmailVerification.Verified v = mail.verification().verify(token.strip(), clientAddress(call), clients.origin(call));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verified", true);
        out.put("user_id", v.accountId());
        out.put("email", v.email());
        out.put("starter_credit_micros", v.grantedMicros());
        call.sendJson(200, out);
    }

    private void resend(HttpCall call) throws SQLException {
        mail().verification().resend(call.caller().userId());
        call.sendJson(202, Map.of("status", "sent"));
    }

    /** 202 whether or not the email has an account: the answer tells nobody who is registered. */
    private void forgot(HttpCall call) throws SQLException {
        AccountMail mail = mail();
        mail.passwordReset().forgot(AccountRoutes.text(call.bodyTree(), "email"), clientAddress(call), clients.origin(call));
        call.sendJson(202, Map.of("status", "if this email has an account, a reset mail is on its way"));
    }

    private void reset(HttpCall call) throws SQLException {
        AccountMail mail = mail();
        JsonNode body = call.bodyTree();
        mail.passwordReset().reset(AccountRoutes.text(body, "token"), AccountRoutes.text(body, "password"),
                clientAddress(call), clients.origin(call));
        call.sendJson(200, Map.of("password_reset", true));
    }

    /** The client's throttle bucket, as for login: the peer, or what a trusted proxy reports; IPv6 by its /64. */
    private String clientAddress(HttpCall call) {
        InetSocketAddress source = call.exchange().getSourceAddress();
        return clients.bucket(source == null ? null : source.getAddress(), call.exchange().getRequestHeaders());
    }
}
