package com.monkeycoder.cli.config;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey config get KEY}: the value in effect, alone on a line for scripts. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print the value KEY has now (flag > environment > config.json > default); nothing when unset.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey config get port", "  monkey config get default_model --json"})
public final class ConfigGetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KEY", completionCandidates = SettingKeys.class,
            description = "A setting: ${COMPLETION-CANDIDATES}.")
    String key;

    @Mixin
    SettingFlags flags;

    @Option(names = "--json", description = "Print {key, value, source, env, default, read_by, description}.")
    boolean json;

    private final CliContext context;

    public ConfigGetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Setting setting = Settings.require(key);
        Settings.Resolved r = flags.resolve(new Settings(context), setting);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ConfigView.json(r).toPrettyString());
        } else if (r.value() != null) {
            out.println(r.value());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
