package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey config set KEY VALUE}: changes one key of config.json, every other key kept as it was. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Set KEY to VALUE in config.json (written atomically; other keys are kept).",
                "The value is checked against the key's type and range; default_model, default_provider and "
                        + "default_persona are checked against the gateway's catalog, providers and personas "
                        + "(the local daemon is started when needed)."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey config set default_model openai/gpt-4.1-mini",
                "  monkey config set default_persona backend",
                "  monkey config set port 8421            (the daemon reads it when it starts)",
                "  monkey config set --force default_model ollama/qwen3   (no gateway to ask right now)"})
public final class ConfigSetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", completionCandidates = SettingKeys.class,
            description = "A setting: ${COMPLETION-CANDIDATES}.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "Its new value.")
    String value;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing when it worked.")
    boolean quiet;

    @Option(names = "--force", description = "Set a model, provider or persona without asking the gateway whether "
            + "it knows it (when the gateway cannot be reached).")
    boolean force;

    private final CliContext context;

    public ConfigSetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Setting setting = Settings.require(key);
        JsonNode parsed = setting.parse(value);
        if (!force && GatewayNames.checks(setting)) {
            new GatewayNames(context, spec.commandLine().getErr()).check(setting, parsed.asText());
        }
        Settings settings = new Settings(context);
        settings.store(setting, parsed);
        if (!quiet) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("Set " + key + " = " + (parsed.isTextual() ? parsed.asText() : parsed.toString()) + " in " + settings.file());
            out.flush();
            ConfigNotes.print(spec.commandLine().getErr(), context, setting);
        }
        return ExitCodes.OK;
    }
}
