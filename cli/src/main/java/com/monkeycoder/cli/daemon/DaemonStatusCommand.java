package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Says whether the daemon runs; exits 3 when it does not, so scripts can test it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Say whether the local daemon is running (exit code 0) or not (exit code 3).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon status",
                "  monkey daemon status --json",
                "  monkey daemon status >/dev/null || monkey daemon start"})
public final class DaemonStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    private final CliContext context;

    public DaemonStatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        DaemonControl control = new DaemonControl(context);
        var running = control.running();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("running", running.isPresent());
            running.ifPresent(r -> {
                status.put("pid", r.pid());
                status.put("port", r.port());
                status.put("version", r.version());
            });
            status.put("state_dir", control.paths().stateDir().toString());
            out.println(Json.write(status));
        } else if (running.isPresent()) {
            var r = running.get();
            out.println("The daemon is running on http://127.0.0.1:" + r.port() + " (pid " + r.pid() + ", version "
                    + r.version() + "); log: " + control.paths().logFile());
        } else {
            out.println("The daemon is not running. Start it with: monkey daemon start");
        }
        out.flush();
        return running.isPresent() ? ExitCodes.OK : ExitCodes.CONFIG_OR_AUTH;
    }
}
