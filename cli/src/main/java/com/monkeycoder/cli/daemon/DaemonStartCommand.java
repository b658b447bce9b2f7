package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Starts the daemon in the background; returns once it answers {@code /health}. A daemon already running is left
 * alone, unless {@code --restart} asks for a new one; one running on another port than {@code --port} names is an
 * error rather than a silent success, since the next command would not find it where the user asked.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the local daemon in the background.",
                "When it is already running: nothing to do, exit 0; on another port than --port names, exit 3 "
                        + "(add --restart to stop it and start it on that port)."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon start",
                "  monkey daemon start --port 8421",
                "  monkey daemon start --restart     (e.g. after exporting a provider key)"})
public final class DaemonStartCommand implements Callable<Integer> {

    /** What {@code --restart} gives the running daemon to finish its requests, as {@code daemon stop} does. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Port on 127.0.0.1 (default: MONKEY_CODER_PORT, config, else 8420).")
    Integer port;

    @Option(names = "--restart", description = "Stop a running daemon first (it finishes its requests), then start "
            + "it again: on --port if given, and with this shell's environment.")
    boolean restart;

    private final CliContext context;

    public DaemonStartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DaemonControl control = new DaemonControl(context);
        var already = control.running();
        if (already.isPresent() && restart) {
            control.stop(STOP_TIMEOUT);
            out.println("Stopped the daemon on port " + already.get().port() + " (pid " + already.get().pid() + ").");
        } else if (already.isPresent() && port != null && port != already.get().port()) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "the daemon is already running on port "
                    + already.get().port() + " (pid " + already.get().pid() + "), not " + port
                    + ": restart it there with 'monkey daemon start --port " + port + " --restart'");
        } else if (already.isPresent()) {
            out.println("The daemon is already running on port " + already.get().port()
                    + " (pid " + already.get().pid() + ").");
            return ExitCodes.OK;
        }
        var started = control.start(port);
        out.println("The daemon is running on http://127.0.0.1:" + started.port() + " (pid "
                + started.pid() + "); log: " + control.paths().logFile());
        return ExitCodes.OK;
    }
}
