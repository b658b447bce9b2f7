package com.monkeycoder.cli.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey keys list|create|revoke}: the account's API keys on a shared gateway. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "List, create and revoke your API keys on a shared gateway.",
        subcommands = {KeysListCommand.class, KeysCreateCommand.class, KeysRevokeCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey keys list", "  monkey keys create --name ci --expires-in-days 30", "  monkey keys revoke KEY_ID"})
public final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: list, create or revoke");
    }
}
