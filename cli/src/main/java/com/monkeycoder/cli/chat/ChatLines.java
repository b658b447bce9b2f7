package com.monkeycoder.cli.chat;

import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.Cancellation;
import com.monkeycoder.cli.output.LinePrinter;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.terminal.Spinner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The chat for scripts ({@code printf 'what is a monad?\n' | monkey chat}) and for {@code --quiet}: each line read
 * is a message (a line ending in {@code \} continues it) or a slash command, with no banner and no prompt. Stdout
 * carries the answers and nothing else; replies to slash commands and errors go to stderr.
 */
final class ChatLines {

    private final ChatSession session;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean spinner;
    private final Map<String, String> env;
    private int exitCode = ExitCodes.OK;

    /** @param spinner whether a spinner runs on stderr until an answer starts (stderr is a terminal, not --quiet) */
    ChatLines(ChatSession session, PrintWriter out, PrintWriter err, boolean spinner, Map<String, String> env) {
        this.session = session;
        this.out = out;
        this.err = err;
        this.spinner = spinner;
        this.env = env;
    }

    /** Reads {@code in} to its end or /exit; 0 when every answer arrived, else the exit code of the last failure. */
    int run(InputStream in) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder message = new StringBuilder();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.endsWith("\\") && !line.endsWith("\\\\")) {
                    message.append(line, 0, line.length() - 1).append('\n');
                    continue;
                }
                message.append(line);
                if (take(message) == ChatSession.Next.EXIT) {
                    return exitCode;
                }
            }
            take(message); // a last line that asked to be continued, at the end of the input
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot read stdin: " + e.getMessage(), e);
        }
        return exitCode;
    }

    private ChatSession.Next take(StringBuilder message) {
        String text = message.toString().strip();
        message.setLength(0);
        if (text.isEmpty()) {
            return ChatSession.Next.CONTINUE;
        }
        Optional<SlashCommand> command = SlashCommand.parse(text);
        if (command.isPresent()) {
            ChatSession.Next next = session.handle(command.get(), err);
            err.flush();
            return next;
        }
        answer(SlashCommand.messageText(text));
        return ChatSession.Next.CONTINUE;
    }

    private void answer(String text) {
        LinePrinter printer = new LinePrinter(out);
        try (Spinner waiting = Spinner.start(err, "thinking", spinner, env)) {
            try {
                session.ask(text, chunk -> {
                    waiting.stop();
                    printer.print(chunk);
                }, new Cancellation());
            } catch (ExitException failed) {
                waiting.stop();
                printer.endLine();
                err.println("monkey: " + SafeText.of(failed.getMessage()));
                err.flush();
                exitCode = failed.exitCode();
            } finally {
                printer.endLine();
            }
        }
    }
}
