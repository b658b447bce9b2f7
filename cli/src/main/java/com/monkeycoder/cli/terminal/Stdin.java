package com.monkeycoder.cli.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The command's standard input as far as commands care: text piped into it ({@code git diff | monkey implement ...})
 * is context to attach; a terminal is never read, so a command does not wait for typing nobody meant to do.
 */
public interface Stdin {

    /** Nothing to read, as with {@code </dev/null}: what tests and the chat REPL see. */
    Stdin NONE = Optional::empty;

    /** Everything piped in, once; empty when stdin is a terminal, {@code /dev/null} or sent no text. */
    Optional<String> pipedText();

    /** Text piped in, for tests. */
    static Stdin piped(String text) {
        return () -> text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** This process's stdin. */
    static Stdin system() {
        return new Stdin() {
            private Optional<String> read;

            @Override
            public synchronized Optional<String> pipedText() {
                if (read == null) {
                    read = SystemStreams.stdinIsTerminal() || SystemStreams.stdinIsNull() ? Optional.empty()
                            : readAll(System.in);
                }
                return read;
            }
        };
    }

    private static Optional<String> readAll(InputStream in) {
        try {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
        }
    }
}
