package com.monkeycoder.cli;

import com.monkeycoder.cli.output.LocalTimes;
import com.monkeycoder.cli.terminal.Stdin;
import com.monkeycoder.cli.terminal.Style;
import com.monkeycoder.cli.terminal.SystemStreams;
import com.monkeycoder.cli.terminal.TerminalOpener;
import com.monkeycoder.cli.terminal.Tty;
import com.monkeycoder.shared.MonkeyPaths;

import java.util.Map;
import java.util.Objects;

/**
 * What a command may read from its surroundings, injected so tests control it: the environment, whether stdout
 * and stderr are terminals, stdin (a terminal, or what was piped into it), the user's terminal for questions, and
 * the terminal the chat REPL runs on.
 *
 * @param interactive    stdout is a terminal (colours, tables for people)
 * @param errInteractive stderr is a terminal (the spinner)
 */
public record CliContext(Map<String, String> env, boolean interactive, boolean errInteractive, Stdin stdin, Tty tty,
                         TerminalOpener terminal) {

    /** For contexts that have no terminal for the chat REPL. */
    private static final TerminalOpener NO_TERMINAL = () -> {
        throw new java.io.IOException("no terminal in this context");
    };

    public CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(tty, "tty");
        Objects.requireNonNull(terminal, "terminal");
    }

    /** A context with nothing on stdin and no terminal to ask on; stderr is a terminal when stdout is. */
    public CliContext(Map<String, String> env, boolean interactive) {
        this(env, interactive, interactive, Stdin.NONE, Tty.NONE, NO_TERMINAL);
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), SystemStreams.stdoutIsTerminal(), SystemStreams.stderrIsTerminal(),
                Stdin.system(), Tty.system(), TerminalOpener.system());
    }

    public CliContext withStdin(Stdin newStdin) {
        return new CliContext(env, interactive, errInteractive, newStdin, tty, terminal);
    }

    public CliContext withTty(Tty newTty) {
        return new CliContext(env, interactive, errInteractive, stdin, newTty, terminal);
    }

    public CliContext withTerminals(boolean stdout, boolean stderr) {
        return new CliContext(env, stdout, stderr, stdin, tty, terminal);
    }

    /** The same context with the chat REPL on {@code opener}'s terminal. */
    public CliContext withTerminal(TerminalOpener opener) {
        return new CliContext(env, interactive, errInteractive, stdin, tty, opener);
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public MonkeyPaths paths() {
        return MonkeyPaths.from(env);
    }

    /** Colours for stdout. */
    public Style outStyle() {
        return Style.forStream(interactive, env);
    }

    /** Instants shown in the user's time zone: {@code TZ}, else the system's. */
    public LocalTimes localTimes() {
        return LocalTimes.forTz(env("TZ"));
    }

    /** Colours for stderr. */
    public Style errStyle() {
        return Style.forStream(errInteractive, env);
    }
}
