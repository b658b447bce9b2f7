package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.output.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

/**
 * Shows the local daemon's log ({@code state/daemon.log}): the last lines, and with --follow what comes next. The
 * daemon writes one JSON object a line; people get each as one short line (local time, status, route, model,
 * latency, error), scripts get the lines as written with {@code --json}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show the local daemon's log (the last lines; --follow keeps reading).",
                "Each request as: local time, status, method and route, provider/model, latency, and the error code "
                        + "(and reason) of a failed one; other lines as time, level and message. --json prints the "
                        + "log's JSON lines as written."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon logs", "  monkey daemon logs -n 200", "  monkey daemon logs --follow",
                "  monkey daemon logs --json | jq 'select(.status >= 400)'"})
public final class DaemonLogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "How many of the last lines to show (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing lines as the daemon writes them, until Ctrl-C.")
    boolean follow;

    @Option(names = "--json", description = "Print the log's lines as the daemon wrote them: one JSON object a line.")
    boolean json;

    private final CliContext context;

    public DaemonLogsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (lines < 0) {
            throw new ExitException(ExitCodes.USAGE, "--lines must be 0 or more");
        }
        Path log = new DaemonControl(context).paths().logFile();
        if (!Files.isRegularFile(log)) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "no daemon log yet at " + log
                    + ": the daemon writes it when started with 'monkey daemon start' (or on first use)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Deque<String> last = new ArrayDeque<>();
        try (var all = Files.lines(log, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            });
        }
        ZoneId zone = zone();
        last.forEach(line -> out.println(shown(line, zone)));
        out.flush();
        long position = Files.size(log);
        StringBuilder partial = new StringBuilder(); // a line the daemon has not finished writing yet
        while (follow) {
            Thread.sleep(250);
            long size = Files.size(log);
            if (size < position) {
                position = 0; // the log was replaced: read the new one from its start
                partial.setLength(0);
            }
            if (size > position) {
                try (FileChannel channel = FileChannel.open(log)) {
                    ByteBuffer fresh = ByteBuffer.allocate((int) Math.min(size - position, 16 * 1024 * 1024));
                    channel.read(fresh, position);
                    position += fresh.position();
                    partial.append(new String(fresh.array(), 0, fresh.position(), StandardCharsets.UTF_8));
                    for (int end = partial.indexOf("\n"); end >= 0; end = partial.indexOf("\n")) {
                        out.println(shown(partial.substring(0, end), zone));
                        partial.delete(0, end + 1);
                    }
                    out.flush();
                }
            }
        }
        return ExitCodes.OK;
    }

    /** A line as printed: as written with --json, else for people (a line that is not JSON as it is). */
    private String shown(String line, ZoneId zone) {
        // Control characters out either way: a line may quote a model's answer or a provider's error.
        return SafeText.of(json ? line : DaemonLogLine.parse(line).map(l -> l.pretty(zone)).orElse(line));
    }

    /** The user's time zone: TZ as this command was given it, else the system's. */
    private ZoneId zone() {
        String tz = context.env("TZ");
        try {
            return tz == null || tz.isBlank() ? ZoneId.systemDefault() : ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
        } catch (java.time.DateTimeException unknown) {
            return ZoneId.systemDefault();
        }
    }
}
