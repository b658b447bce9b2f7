package com.monkeycoder.cli.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey daemon admin create}: administrators made on the server itself, against the gateway's database. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Make a shared gateway's administrators on its server, with its database settings (DATABASE_URL).",
        subcommands = {DaemonAdminCreateCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon admin create --email ops@example.com   (with DATABASE_URL set, as for daemon run)"})
public final class DaemonAdminCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: create");
    }
}
