package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.GatewayLauncher;
import com.monkeycoder.cli.completion.Candidates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/** Runs the gateway in the foreground, as process managers and {@code monkey daemon start} do. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the gateway in the foreground until stopped (Ctrl-C or SIGTERM drains, then exits).",
                "The installed launcher runs it with the daemon's JVM options, as 'monkey daemon start' does: "
                        + "-XX:+UseSerialGC -Xmx128m (the server compiler, a capped heap), or "
                        + "MONKEY_CODER_DAEMON_JAVA_OPTS instead."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon run",
                "  monkey daemon run --port 0        (any free port)",
                "  MONKEY_CODER_LOCAL_KEY=mk-dev-... monkey daemon run   (CI: a known key)"})
public final class DaemonRunCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (default: MONKEY_CODER_PORT, config, else 8420; 0 = any free port).")
    Integer port;

    @Option(names = "--mode", paramLabel = "local|gateway", completionCandidates = Candidates.Modes.class,
            description = "local (default): loopback only, SQLite; gateway: the shared deployment.")
    String mode;

    private final CliContext context;

    public DaemonRunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayLauncher launcher = ServiceLoader.load(GatewayLauncher.class).findFirst()
                .orElseThrow(() -> new ExitException(ExitCodes.UNEXPECTED,
                        "the gateway is not installed with this CLI: reinstall with ./install.sh"));
        return launcher.runForeground(context.env(), port, mode, System.out, System.err);
    }
}
