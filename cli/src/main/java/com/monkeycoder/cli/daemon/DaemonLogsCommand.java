package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

/** Shows the local daemon's log ({@code state/daemon.log}): the last lines, and with --follow what comes next. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the local daemon's log (the last lines; --follow keeps reading).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon logs", "  monkey daemon logs -n 200", "  monkey daemon logs --follow"})
public final class DaemonLogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "How many of the last lines to show (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing lines as the daemon writes them, until Ctrl-C.")
    boolean follow;

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
        last.forEach(out::println);
        out.flush();
        long position = Files.size(log);
        while (follow) {
            Thread.sleep(250);
            long size = Files.size(log);
            if (size < position) {
                position = 0; // the log was replaced: read the new one from its start
            }
            if (size > position) {
                try (FileChannel channel = FileChannel.open(log)) {
                    ByteBuffer fresh = ByteBuffer.allocate((int) Math.min(size - position, 16 * 1024 * 1024));
                    channel.read(fresh, position);
                    position += fresh.position();
                    out.print(new String(fresh.array(), 0, fresh.position(), StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
        return ExitCodes.OK;
    }
}
