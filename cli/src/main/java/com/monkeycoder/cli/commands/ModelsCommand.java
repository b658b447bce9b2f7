package com.monkeycoder.cli.commands;

import com.monkeycoder.shared.text.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Formats;
import com.monkeycoder.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code monkey models}: the gateway's model catalog with the other names each answers to (aliases, which --model
 * takes too), prices, and whether each can be used now.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models the gateway knows, with their aliases and prices.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey models",
                "  monkey models --available",
                "  monkey models --json | jq -r '.data[] | select(.available) | .id'"})
public final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the gateway's model list as JSON.")
    boolean json;

    @Option(names = "--available", description = "Only models whose provider is configured.")
    boolean availableOnly;

    private final CliContext context;

    public ModelsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure, spec.commandLine().getErr()));
        JsonNode models = client.get("/v1/models");
        if (json) {
            JsonOutput.print(spec.commandLine().getOut(), models);
            return ExitCodes.OK;
        }
        Table table = new Table("MODEL", "ALIASES", "CONTEXT", "IN $/M", "OUT $/M", "READY").rightAlign(2, 3, 4);
        for (JsonNode m : models.path("data")) {
            boolean available = m.path("available").asBoolean();
            if (availableOnly && !available) {
                continue;
            }
            List<String> aliases = new ArrayList<>();
            m.path("aliases").forEach(a -> aliases.add(a.asText()));
            table.row(m.path("id").asText(), String.join(", ", aliases), m.hasNonNull("context_window") ? Formats.count(m.path("context_window").asLong()) : "-",
                    Money.dollars(m.path("input_price_per_million").asDouble()),
                    Money.dollars(m.path("output_price_per_million").asDouble()), available ? "yes" : "no");
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
