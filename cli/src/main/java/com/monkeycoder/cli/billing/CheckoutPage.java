package com.monkeycoder.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.auth.GatewayTarget;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Asks the gateway for a Stripe Checkout page and hands it to the user: the URL on stdout always (it is the
 * result, and what a script or a headless session needs), and the browser opened only for a person at a terminal
 * with a display. CI and SSH sessions just print.
 */
final class CheckoutPage {

    private CheckoutPage() {
    }

    static GatewayClient client(CliContext context, GatewayOptions gateway, PrintWriter err) {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        return new GatewayClient(Connections.resolve(context, url, gateway.insecure, err));
    }

    static int open(CliContext context, GatewayOptions gateway, PrintWriter out, PrintWriter err, Object body,
                    boolean json, boolean noBrowser, String what) throws IOException {
        JsonNode session = client(context, gateway, err).post("/v1/billing/checkout", body);
        String url = session.path("url").asText();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(session));
            out.flush();
            return ExitCodes.OK;
        }
        boolean opened = !noBrowser && hasDisplay(context) && browse(url);
        out.println(SafeText.of("Pay for " + what + " with Stripe Checkout" + (opened ? " (opened in your browser):"
                : ":")));
        out.println(SafeText.of(url));
        out.println("Credits and plans change once Stripe confirms the payment; see monkey billing payments.");
        out.flush();
        return ExitCodes.OK;
    }

    /** A person who can see a browser: stdout a terminal, not CI, and a graphical session. */
    static boolean hasDisplay(CliContext context) {
        if (!context.interactive() || set(context, "CI") || set(context, "SSH_CONNECTION")) {
            return false;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("windows")) {
            return true;
        }
        return set(context, "DISPLAY") || set(context, "WAYLAND_DISPLAY");
    }

    private static boolean set(CliContext context, String name) {
        String value = context.env(name);
        return value != null && !value.isBlank();
    }

    private static boolean browse(String url) {
        if (!url.startsWith("https://")) {
            return false; // only ever hand a web page to the opener, never a file or a command
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> command = os.contains("mac") ? List.of("open", url)
                : os.contains("windows") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
                : List.of("xdg-open", url);
        try {
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
