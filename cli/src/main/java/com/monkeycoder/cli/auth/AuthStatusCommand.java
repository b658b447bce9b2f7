package com.monkeycoder.cli.auth;

import com.monkeycoder.shared.text.Money;
import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Formats;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code monkey auth status}: which gateway, which key and from which store (environment, OS keyring or file),
 * and what the gateway says of it: tier, this hour's requests, credits. Exit 3 when there is no working key.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the gateway, the key in use and where it is kept, and the account's tier and limits.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth status", "  monkey auth status --json"})
public final class AuthStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    private final CliContext context;

    public AuthStatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String flagOrEnv = gateway.baseUrl != null ? gateway.baseUrl : context.env("MONKEY_CODER_BASE_URL");
        if (flagOrEnv == null || flagOrEnv.equals(Connections.LOCAL)) {
            return local(out);
        }
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        KeyStores stores = new KeyStores(context, spec.commandLine().getErr());
        Optional<KeyStores.Found> found = stores.find(url);
        ObjectNode status = Json.mapper().createObjectNode();
        status.put("base_url", url);
        status.put("store", stores.storeInUse());
        if (found.isEmpty()) {
            status.put("logged_in", false);
            print(out, status, "Gateway  " + url, "Key      none: run 'monkey auth login --base-url " + url + "'",
                    "Store    " + stores.storeInUse());
            return ExitCodes.CONFIG_OR_AUTH;
        }
        Credentials c = found.get().credentials();
        status.put("key_prefix", c.shownKey());
        status.put("key_source", found.get().source());
        if (c.email() != null) {
            status.put("email", c.email());
        }
        JsonNode usage;
        try {
            usage = new GatewayClient(new Connection(url, c.apiKey(), false, gateway.insecure(context))).get("/usage");
        } catch (ExitException e) {
            if (e.exitCode() != ExitCodes.CONFIG_OR_AUTH) {
                throw e;
            }
            // A key from the environment wins over any saved one, so logging in again would not change it.
            String fix = found.get().fromEnvironment()
                    ? "unset " + KeyStores.API_KEY_ENV + " or fix it (it takes precedence over a key saved by 'monkey auth login')"
                    : "run 'monkey auth login --base-url " + url + "'";
            status.put("logged_in", false);
            status.put("problem", e.getMessage());
            status.put("fix", fix);
            print(out, status, "Gateway  " + url, "Key      " + c.shownKey() + " from " + found.get().source(),
                    "Problem  the gateway refuses this key (" + e.getMessage() + "): " + fix);
            return ExitCodes.CONFIG_OR_AUTH;
        }
        status.put("logged_in", true);
        status.set("usage", usage);
        String limits = usage.path("tier").asText() + ": " + Formats.count(usage.path("requests_used").asLong()) + " of "
                + Formats.count(usage.path("requests_limit").asLong()) + " requests this hour (resets at "
                + context.localTimes().timeOfDay(usage.path("window_reset").asText()) + ")";
        String credits = usage.has("credit_micros") ? Money.format(usage.path("credit_micros").asLong()) : "no limit";
        print(out, status, "Gateway  " + url, "Key      " + c.shownKey() + " from " + found.get().source(),
                "Account  " + (c.email() != null ? c.email() : "(not saved with this key)"), "Tier     " + limits,
                "Credits  " + credits);
        return ExitCodes.OK;
    }

    private int local(PrintWriter out) {
        ObjectNode status = Json.mapper().createObjectNode();
        status.put("base_url", Connections.LOCAL);
        String source = context.env(KeyStores.API_KEY_ENV) != null ? "the environment (" + KeyStores.API_KEY_ENV + ")"
                : context.env("MONKEY_CODER_LOCAL_KEY") != null ? "the environment (MONKEY_CODER_LOCAL_KEY)"
                : "the daemon's key file " + context.paths().localKeyFile();
        status.put("logged_in", true);
        status.put("key_source", source);
        print(out, status, "Gateway  the local daemon (no account needed)", "Key      from " + source);
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, ObjectNode status, String... lines) {
        if (json) {
            AuthRegisterCommand.printJson(out, status);
            return;
        }
        for (String line : lines) {
            out.println(SafeText.of(line)); // tiers, limits and problems are the gateway's words
        }
        out.flush();
    }
}
