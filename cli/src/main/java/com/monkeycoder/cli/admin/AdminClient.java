package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.auth.GatewayTarget;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The client of an admin command: the shared gateway's, with the CLI's key (which needs the admin scope). */
final class AdminClient {

    private AdminClient() {
    }

    static GatewayClient of(CliContext context, GatewayOptions gateway, PrintWriter err) {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        return new GatewayClient(Connections.resolve(context, url, gateway.insecure, err));
    }

    /** An account named by its id ({@code usr_...}) or its email, as the admin routes take it: its id. */
    static String accountId(GatewayClient client, String account) {
        if (!account.contains("@")) {
            return account;
        }
        JsonNode page = client.get("/v1/admin/accounts?limit=200&email=" + encode(account));
        for (JsonNode a : page.path("accounts")) {
            if (a.path("email").asText().equalsIgnoreCase(account.strip())) {
                return a.path("id").asText();
            }
        }
        throw new ExitException(ExitCodes.USAGE, "no account with the email " + SafeText.of(account)
                + " (monkey admin accounts --email lists them)");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code 2026-01-15T10:01:00Z} as {@code 2026-01-15 10:01}; null as {@code -}. */
    static String when(JsonNode iso) {
        if (iso == null || iso.isNull() || iso.isMissingNode() || iso.asText().length() < 16) {
            return "-";
        }
        String t = iso.asText();
        return t.substring(0, 10) + " " + t.substring(11, 16);
    }

    static String dollars(long micros) {
        return (micros < 0 ? "-$" : "$") + java.math.BigDecimal.valueOf(Math.abs(micros), 6)
                .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** One line saying what the account is now, after a change. */
    static String summary(JsonNode a) {
        return SafeText.of(a.path("email").asText() + " (" + a.path("id").asText() + "): tier " + a.path("tier").asText()
                + (a.hasNonNull("plan") ? ", plan " + a.path("plan").asText() : "")
                + ", credits " + dollars(a.path("credit_micros").asLong())
                + (a.path("disabled").asBoolean() ? ", disabled" : "")
                + (a.path("role").asText().equals("admin") ? ", admin" : ""));
    }
}
