package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.commands.JsonOutput;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey admin accounts}: the gateway's accounts, newest first, following the gateway's pages. */
@Command(name = "accounts", mixinStandardHelpOptions = true, description = "List accounts, newest first.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin accounts", "  monkey admin accounts --email @example.com --json"})
public final class AdminAccountsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--email", paramLabel = "TEXT", description = "Only accounts whose email contains TEXT (any case).")
    String email;

    @Option(names = "--limit", paramLabel = "N", description = "At most N accounts (default 50, up to 10000).")
    int limit = 50;

    @Option(names = "--json", description = "Print the accounts as JSON.")
    boolean json;

    private final CliContext context;

    public AdminAccountsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > 10_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be from 1 to 10000");
        }
        GatewayClient client = AdminClient.of(context, gateway, spec.commandLine().getErr());
        ArrayNode accounts = Json.mapper().createArrayNode();
        String after = null;
        do {
            int want = Math.min(200, limit - accounts.size());
            JsonNode page = client.get("/v1/admin/accounts?limit=" + want
                    + (email == null ? "" : "&email=" + AdminClient.encode(email))
                    + (after == null ? "" : "&after=" + AdminClient.encode(after)));
            page.path("accounts").forEach(accounts::add);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null && accounts.size() < limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.set("accounts", accounts);
            JsonOutput.print(out, body);
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "EMAIL", "ROLE", "TIER", "PLAN", "CREDITS", "CREATED", "STATUS").rightAlign(5);
        for (JsonNode a : accounts) {
            table.row(a.path("id").asText(), a.path("email").asText(), a.path("role").asText(), a.path("tier").asText(),
                    a.path("plan").asText("-"), AdminClient.dollars(a.path("credit_micros").asLong()),
                    AdminClient.when(a.path("created_at")), a.path("disabled").asBoolean() ? "disabled" : "active");
        }
        if (table.isEmpty()) {
            out.println(email == null ? "No accounts." : "No account's email contains '" + email + "'.");
            out.flush();
            return ExitCodes.OK;
        }
        table.print(out);
        return ExitCodes.OK;
    }
}
