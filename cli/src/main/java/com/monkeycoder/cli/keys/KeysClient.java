package com.monkeycoder.cli.keys;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.auth.GatewayTarget;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;

import java.io.PrintWriter;

/** The client of a keys command: a shared gateway's, with the key the CLI uses for it. */
final class KeysClient {

    private KeysClient() {
    }

    static GatewayClient of(CliContext context, GatewayOptions gateway, PrintWriter err) {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        return new GatewayClient(Connections.resolve(context, url, gateway.insecure, err));
    }

    /** {@code 2026-01-15T10:01:00Z} as {@code 2026-01-15 10:01}; null as {@code -}. */
    static String when(String iso) {
        if (iso == null || iso.isEmpty() || iso.equals("null")) {
            return "-";
        }
        return iso.length() >= 16 ? iso.substring(0, 10) + " " + iso.substring(11, 16) : iso;
    }
}
