package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Stops the daemon: it finishes the requests in flight, then exits. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the local daemon after it finishes the requests in flight.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon stop",
                "  monkey daemon stop && monkey providers     (restart it, e.g. after exporting a key)"})
public final class DaemonStopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "40", description = "Seconds to wait before forcing it (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final CliContext context;

    public DaemonStopCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        boolean stopped = new DaemonControl(context).stop(Duration.ofSeconds(timeoutSeconds));
        spec.commandLine().getOut().println(stopped ? "The daemon stopped." : "The daemon was not running.");
        return ExitCodes.OK;
    }
}
