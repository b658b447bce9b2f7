package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code monkey providers}: which providers the gateway can use, and what enables the others. */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "List the providers, whether each is configured, and the env var that enables it.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey providers",
                "  monkey providers --json | jq -r '.providers[] | select(.configured) | .name'"})
public final class ProvidersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the gateway's provider list as JSON.")
    boolean json;

    private final CliContext context;

    public ProvidersCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure, spec.commandLine().getErr()));
        JsonNode providers = client.get("/v1/providers");
        if (json) {
            JsonOutput.print(spec.commandLine().getOut(), providers);
            return ExitCodes.OK;
        }
        Table table = new Table("PROVIDER", "READY", "DEFAULT MODEL", "ENABLE WITH", "LAST ERROR");
        for (JsonNode p : providers.path("providers")) {
            List<String> env = new ArrayList<>();
            p.path("key_env").forEach(e -> env.add(e.asText()));
            String enable = p.path("name").asText().equals("demo") ? "always (offline demo)"
                    : env.isEmpty() ? "OLLAMA_HOST or a local Ollama" : String.join(" or ", env);
            table.row(p.path("name").asText(), p.path("configured").asBoolean() ? "yes" : "no",
                    p.path("default_model").asText(), enable, p.path("last_error").asText(""));
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
