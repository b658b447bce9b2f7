package com.monkeycoder.cli.chat;

import com.monkeycoder.shared.text.Money;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.Answers;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.client.Cancellation;
import com.monkeycoder.cli.terminal.Spinner;
import com.monkeycoder.cli.terminal.Style;
import com.monkeycoder.shared.wire.ExecuteResponse;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The chat REPL on a JLine terminal: reads a message (history, multi-line, completion), streams the answer, and
 * turns Ctrl-C into "stop this answer" and Ctrl-D into "quit". What the lines mean is {@link ChatSession}'s job.
 */
final class ChatRepl {

    /**
     * Settings of the REPL that come from the command line.
     *
     * @param historyFile null: history in memory only
     */
    record Options(Path historyFile, boolean verbose, boolean spinner, Style style, Map<String, String> env) {
    }

    private final Terminal terminal;
    private final ChatSession session;
    private final ChatCompleter completer;
    private final Options options;
    private final AtomicReference<Cancellation> inFlight = new AtomicReference<>();
    private int exitCode = ExitCodes.OK;

    ChatRepl(Terminal terminal, ChatSession session, ChatCompleter completer, Options options) {
        this.terminal = terminal;
        this.session = session;
        this.completer = completer;
        this.options = options;
    }

    /** Runs until /exit or Ctrl-D; 0 when every answer arrived, else the exit code of the last one that failed. */
    int run() {
        PrintWriter out = terminal.writer();
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("monkey")
                .parser(new ContinuationParser())
                .completer(completer)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P ... ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is text, not history expansion
                .option(LineReader.Option.INSERT_TAB, false);
        if (options.historyFile() != null) {
            builder.variable(LineReader.HISTORY_FILE, prepareHistory(options.historyFile()));
        }
        LineReader reader = builder.build();
        // Outside readLine, Ctrl-C stops the answer in flight instead of the JVM.
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            Cancellation c = inFlight.get();
            if (c != null) {
                c.cancel();
            }
        });
        try {
            out.println(options.style().dim("Chatting with " + session.describeModel()
                    + (session.choice().persona() == null ? "" : " as " + session.choice().persona())
                    + ". /help lists commands; Ctrl-C stops an answer; Ctrl-D or /exit quits."));
            out.flush();
            while (true) {
                String line;
                try {
                    line = reader.readLine(options.style().bold("you> "));
                } catch (UserInterruptException e) {
                    if (e.getPartialLine() == null || e.getPartialLine().isBlank()) {
                        out.println(options.style().dim("(Ctrl-D or /exit quits)"));
                        out.flush();
                    }
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                String text = ContinuationParser.join(line).strip();
                if (text.isEmpty()) {
                    continue;
                }
                Optional<SlashCommand> command = SlashCommand.parse(text);
                if (command.isPresent()) {
                    if (session.handle(command.get(), out) == ChatSession.Next.EXIT) {
                        break;
                    }
                    continue;
                }
                answer(SlashCommand.messageText(text), out);
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                out.println("monkey: cannot save the history to " + options.historyFile() + ": " + e.getMessage());
            }
            out.flush();
        }
        return exitCode;
    }

    private void answer(String text, PrintWriter out) {
        Cancellation cancellation = new Cancellation();
        inFlight.set(cancellation);
        boolean[] endsWithNewline = {true};
        try (Spinner spinner = Spinner.start(out, "thinking", options.spinner(), options.env())) {
            try {
                Answers.Answer answer = session.ask(text, raw -> {
                    String chunk = SafeText.of(raw); // the model's words, never its escape sequences
                    if (chunk.isEmpty()) {
                        return;
                    }
                    spinner.stop();
                    out.print(chunk);
                    out.flush();
                    endsWithNewline[0] = chunk.endsWith("\n");
                }, cancellation);
                spinner.stop();
                endLine(out, endsWithNewline);
                if (options.verbose()) {
                    out.println(options.style().dim(SafeText.of(footer(answer.response()))));
                }
            } catch (Cancellation.Cancelled stopped) {
                spinner.stop();
                endLine(out, endsWithNewline);
                out.println(options.style().dim("(stopped; this turn is not kept in the conversation)"));
            } catch (ExitException failed) {
                spinner.stop();
                endLine(out, endsWithNewline);
                out.println(options.style().red("monkey: " + SafeText.of(failed.getMessage())));
                if (options.verbose()) {
                    failed.details().forEach(line -> out.println(options.style().dim("monkey:   " + SafeText.of(line))));
                }
                exitCode = failed.exitCode();
            }
        } finally {
            inFlight.set(null);
            out.flush();
        }
    }

    private static void endLine(PrintWriter out, boolean[] endsWithNewline) {
        if (!endsWithNewline[0]) {
            out.println();
            endsWithNewline[0] = true;
        }
    }

    private static String footer(ExecuteResponse done) {
        var usage = done.usage();
        return done.providerUsed() + "/" + done.modelUsed() + (usage == null ? "" : " · " + usage.promptTokens() + " in / "
                + usage.completionTokens() + " out tokens · " + Money.format(Math.round(usage.costUsd() * 1_000_000)));
    }

    /** The history file, created readable by its owner only: messages can hold things nobody else should read. */
    private static Path prepareHistory(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // history is a convenience: without the file JLine keeps it in memory only
        }
        return file;
    }
}
