package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.client.GatewayError;

import java.io.PrintWriter;

/** Where a two-factor code comes from (the option, else a question on the terminal), and the MFA commands' client. */
final class MfaCodes {

    static final String REQUIRED = "mfa_required";

    private MfaCodes() {
    }

    /**
     * {@code given} when set, else asked on the terminal; without either, a usage error that says how to give one
     * ({@code how}: "pass --totp CODE", say).
     */
    static String code(CliContext context, String given, String question, String how) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String typed = context.tty().ask(question).map(String::strip).orElse("");
        if (typed.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, context.tty().available() ? "no code given"
                    : "a two-factor code is needed (from your authenticator app, or a recovery code): " + how);
        }
        return typed;
    }

    /** Whether the gateway refused a sign-in only for want of the second factor. */
    static boolean mfaRequired(ExitException e) {
        return e instanceof GatewayError g && g.status() == 401
                && REQUIRED.equals(g.gatewayDetails().path("reason").asText(null));
    }

    static GatewayClient client(CliContext context, GatewayOptions gateway, PrintWriter err) {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        return new GatewayClient(Connections.resolve(context, url, gateway.insecure, err));
    }
}
