package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey config list}: every setting, its value now, and where that value came from. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Show every setting, its value and where it came from: flag, env, config or default.",
                "Gateway settings are read by the daemon when it starts; cli settings on every command."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey config list", "  MONKEY_CODER_MODEL=groq/llama-3.3-70b-versatile monkey config list",
                "  monkey config list --json | jq '.settings[] | select(.source != \"default\")'"})
public final class ConfigListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SettingFlags flags;

    @Option(names = "--json", description = "Print {config_file, settings: [{key, value, source, env, default, read_by, description}]}.")
    boolean json;

    private final CliContext context;

    public ConfigListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Settings settings = new Settings(context);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode doc = Json.mapper().createObjectNode();
            doc.put("config_file", settings.file().toString());
            ArrayNode list = doc.putArray("settings");
            for (Setting s : Settings.ALL) {
                list.add(ConfigView.json(flags.resolve(settings, s)));
            }
            out.println(doc.toPrettyString());
            out.flush();
            return ExitCodes.OK;
        }
        Table table = new Table("KEY", "VALUE", "SOURCE", "READ BY");
        for (Setting s : Settings.ALL) {
            Settings.Resolved r = flags.resolve(settings, s);
            table.row(s.key(), r.value() == null ? "(unset)" : r.value(), ConfigView.source(r), s.reader().label());
        }
        table.print(out);
        out.println();
        out.println("config file: " + settings.file() + (java.nio.file.Files.exists(settings.file()) ? "" : " (not created yet)"));
        out.flush();
        return ExitCodes.OK;
    }
}
