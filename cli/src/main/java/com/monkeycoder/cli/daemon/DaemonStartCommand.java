package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Starts the daemon in the background; returns once it answers {@code /health}. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start the local daemon in the background.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon start",
                "  monkey daemon start --port 8421"})
public final class DaemonStartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Port on 127.0.0.1 (default: MONKEY_CODER_PORT, config, else 8420).")
    Integer port;

    private final CliContext context;

    public DaemonStartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        DaemonControl control = new DaemonControl(context);
        var already = control.running();
        if (already.isPresent()) {
            spec.commandLine().getOut().println("The daemon is already running on port " + already.get().port()
                    + " (pid " + already.get().pid() + ").");
            return ExitCodes.OK;
        }
        var started = control.start(port);
        spec.commandLine().getOut().println("The daemon is running on http://127.0.0.1:" + started.port() + " (pid "
                + started.pid() + "); log: " + control.paths().logFile());
        return ExitCodes.OK;
    }
}
