package com.monkeycoder.cli.auth;

import com.monkeycoder.shared.text.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey auth register}: a new account on a shared gateway; its first key is saved for the CLI. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Create an account on a shared gateway and save its first key (OS keyring, else a 0600 file).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth register --email you@example.com --base-url https://gateway.example.com", "  MONKEY_CODER_PASSWORD=... monkey auth register --email you@example.com"})
public final class AuthRegisterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--email", required = true, description = "Your email address.")
    String email;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (else MONKEY_CODER_PASSWORD, else a prompt).")
    boolean passwordStdin;

    @Option(names = "--json", description = "Print the account as JSON (never the key).")
    boolean json;

    private final CliContext context;

    public AuthRegisterCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        String password = Passwords.read(context, passwordStdin, true);
        JsonNode account = new GatewayClient(GatewayTarget.anonymous(url, gateway.insecure(context)))
                .post("/v1/auth/register", Map.of("email", email, "password", password));
        int code = AuthLoginCommand.saveAndReport(context, spec, url, account, json, "Registered");
        if (!json && account.path("verification_sent").asBoolean()) {
            spec.commandLine().getOut().println("A verification mail is on its way: open its link, or run"
                    + " 'monkey auth verify TOKEN', to verify your email and receive the starter credits.");
            spec.commandLine().getOut().flush();
        }
        return code;
    }

    /** The account's JSON without its key, plus where the key went. */
    static ObjectNode withoutKey(JsonNode account, String storedIn) {
        ObjectNode out = account.deepCopy();
        out.remove("api_key");
        out.put("key_stored_in", storedIn);
        return out;
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String credits(JsonNode account) {
        return account.has("credit_micros") ? ", credits " + Money.format(account.path("credit_micros").asLong()) : "";
    }
}
