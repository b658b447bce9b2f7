package com.monkeycoder.cli.config;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey config unset KEY}: removes a key from config.json, so the environment or the default applies. */
@Command(name = "unset", mixinStandardHelpOptions = true,
        description = "Remove KEY from config.json; the environment or the default applies again.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey config unset default_model"})
public final class ConfigUnsetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KEY", completionCandidates = SettingKeys.class,
            description = "A setting: ${COMPLETION-CANDIDATES}.")
    String key;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing when it worked.")
    boolean quiet;

    private final CliContext context;

    public ConfigUnsetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Setting setting = Settings.require(key);
        Settings settings = new Settings(context);
        boolean wasSet = settings.inFile(setting).isPresent();
        if (wasSet) {
            settings.store(setting, null);
        }
        if (!quiet) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(wasSet ? "Removed " + key + " from " + settings.file() : key + " is not set in " + settings.file());
            out.flush();
            if (wasSet) {
                ConfigNotes.print(spec.commandLine().getErr(), context, setting);
            }
        }
        return ExitCodes.OK;
    }
}
