package com.monkeycoder.cli;

import java.util.List;

/**
 * Ends a command with a one-line message on stderr and a documented exit code; thrown from anywhere. Lines of
 * {@link #details()} follow the message only with {@code --verbose}.
 */
public class ExitException extends RuntimeException {

    private final int exitCode;

    public ExitException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public ExitException(int exitCode, String message, Throwable cause) {
        super(message, cause, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What {@code --verbose} adds below the message, one item a line; none by default. */
    public List<String> details() {
        return List.of();
    }
}
