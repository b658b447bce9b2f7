package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.MonkeyPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey config path}: where config.json is (and, with --json, the data and state folders). */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the path of config.json (it need not exist yet).",
        footerHeading = "%nExamples:%n",
        footer = {"  $EDITOR \"$(monkey config path)\"", "  monkey config path --json"})
public final class ConfigPathCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {config_file, config_dir, data_dir, state_dir}.")
    boolean json;

    private final CliContext context;

    public ConfigPathCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        MonkeyPaths paths = context.paths();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode doc = Json.mapper().createObjectNode();
            doc.put("config_file", paths.configFile().toString());
            doc.put("config_dir", paths.configDir().toString());
            doc.put("data_dir", paths.dataDir().toString());
            doc.put("state_dir", paths.stateDir().toString());
            out.println(doc.toPrettyString());
        } else {
            out.println(paths.configFile());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
