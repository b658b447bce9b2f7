package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey personas}: who can answer ({@code --persona}) and what can be asked ({@code --task}). */
@Command(name = "personas", mixinStandardHelpOptions = true,
        description = {"List the personas (--persona) and task types (--task) the gateway offers.",
                "Both are data: add or replace your own in tasks.json in the config folder (see: monkey config path)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  monkey personas",
                "  monkey personas --json | jq -r '.personas[].name'",
                "  monkey implement --persona backend --task testing -f src/api.py \"cover the error paths\""
        })
public final class PersonasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print {default_persona, personas, task_types} as JSON.")
    boolean json;

    private final CliContext context;

    public PersonasCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                gateway.notices(spec.commandLine().getErr())));
        JsonNode caps = client.get("/v1/capabilities");
        String defaultPersona = caps.path("default_persona").asText("developer");
        if (json) {
            ObjectNode doc = Json.mapper().createObjectNode();
            doc.put("default_persona", defaultPersona);
            doc.set("personas", caps.path("personas"));
            doc.set("task_types", caps.path("task_types"));
            JsonOutput.print(out, doc);
            return ExitCodes.OK;
        }
        Table personas = new Table("PERSONA", "MODEL CLASS", "DESCRIPTION");
        for (JsonNode p : caps.path("personas")) {
            String name = p.path("name").asText();
            personas.row(name.equals(defaultPersona) ? name + " (default)" : name, p.path("model_class").asText("-"),
                    p.path("description").asText(""));
        }
        personas.print(out);
        out.println();
        Table tasks = new Table("TASK", "MODEL CLASS", "DESCRIPTION");
        for (JsonNode t : caps.path("task_types")) {
            String name = t.path("name").asText();
            tasks.row(name.equals(ImplementCommand.DEFAULT_TASK_TYPE) ? name + " (default)" : name,
                    t.path("model_class").asText("-"), t.path("description").asText(""));
        }
        tasks.print(out);
        return ExitCodes.OK;
    }
}
