package com.monkeycoder.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey keys list}: the account's keys by id, prefix and name; the keys themselves are never shown again. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List your keys (never the keys themselves).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey keys list", "  monkey keys list --json"})
public final class KeysListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the gateway's list as JSON.")
    boolean json;

    private final CliContext context;

    public KeysListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode keys = KeysClient.of(context, gateway, spec.commandLine().getErr()).get("/v1/auth/keys");
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(keys));
            out.flush();
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "PREFIX", "NAME", "CREATED", "LAST USED", "EXPIRES", "STATUS");
        for (JsonNode k : keys.path("keys")) {
            table.row(k.path("id").asText(), k.path("prefix").asText(), k.path("name").asText("-"),
                    KeysClient.when(k.path("created_at").asText(null)), KeysClient.when(k.path("last_used_at").asText(null)),
                    KeysClient.when(k.path("expires_at").asText(null)), k.path("status").asText());
        }
        table.print(out);
        return ExitCodes.OK;
    }
}
