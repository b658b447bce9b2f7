package com.monkeycoder.cli;

/** Ends a command with a one-line message on stderr and a documented exit code; thrown from anywhere. */
public final class ExitException extends RuntimeException {

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
}
