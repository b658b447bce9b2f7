package com.monkeycoder.cli.config;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey config get|set|unset|list|path}: {@code config.json}, and what each setting resolves to. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Read and change the configuration (config.json).",
                "Precedence: command-line flag > environment > config.json > default."},
        subcommands = {ConfigGetCommand.class, ConfigSetCommand.class, ConfigUnsetCommand.class, ConfigListCommand.class,
                ConfigPathCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  monkey config list",
                "  monkey config set default_model openai/gpt-4.1-mini",
                "  monkey config get port",
                "  monkey config unset default_model",
                "  $EDITOR \"$(monkey config path)\""
        })
public final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: get, set, unset, list or path");
    }
}
