package com.monkeycoder.cli.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey daemon start|stop|status|run}: the local gateway's life cycle. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect the local daemon (the gateway on this machine).",
        subcommands = {DaemonStartCommand.class, DaemonStopCommand.class, DaemonStatusCommand.class, DaemonRunCommand.class,
                DaemonLogsCommand.class, DaemonAdminCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon start", "  monkey daemon status", "  monkey daemon stop", "  monkey daemon logs --follow",
                "  monkey daemon run --port 8420   (in the foreground, for process managers)",
                "  monkey daemon admin create --email ops@example.com   (a shared gateway's first admin)"})
public final class DaemonCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: start, stop, status, run, logs or admin");
    }
}
