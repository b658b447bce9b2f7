package com.monkeycoder.cli.terminal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The command's standard input as far as commands care: whether it is a terminal, and the stream itself. Text piped
 * into it ({@code git diff | monkey implement ...}) is read with {@link PipedText}; a terminal is never read for
 * context, so a command does not wait for typing nobody meant to do.
 */
public interface Stdin {

    /** Nothing to read, as with {@code </dev/null}: what tests see unless they say otherwise. */
    Stdin NONE = piped("");

    /** Whether stdin is a terminal (a person typing) rather than a pipe, a file or {@code /dev/null}. */
    boolean isTerminal();

    /** The stream; for a terminal, what is typed. */
    InputStream stream();

    /** Text piped in, for tests. */
    static Stdin piped(String text) {
        return of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), false);
    }

    /** A terminal on which {@code text} is typed, for tests. */
    static Stdin typed(String text) {
        return of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** {@code in} as stdin, for tests that control when it ends. */
    static Stdin of(InputStream in, boolean terminal) {
        return new Stdin() {
            @Override
            public boolean isTerminal() {
                return terminal;
            }

            @Override
            public InputStream stream() {
                return in;
            }
        };
    }

    /** This process's stdin. */
    static Stdin system() {
        return new Stdin() {
            @Override
            public boolean isTerminal() {
                return SystemStreams.stdinIsTerminal();
            }

            @Override
            public InputStream stream() {
                // /dev/null ends at once anyway; not opening it spares a read of System.in's buffer.
                return SystemStreams.stdinIsNull() ? InputStream.nullInputStream() : System.in;
            }
        };
    }
}
