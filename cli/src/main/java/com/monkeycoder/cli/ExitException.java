package com.monkeycoder.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Ends a command with a one-line message on stderr and a documented exit code; thrown from anywhere. Lines of
 * {@link #details()} follow the message only with {@code --verbose}; a gateway's refusal keeps its error envelope
 * for {@code --json}.
 */
public class ExitException extends RuntimeException {

    private final int exitCode;
    private final transient JsonNode gatewayError;

    public ExitException(int exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public ExitException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, null);
    }

    /** {@code gatewayError}: the {@code error} object of a gateway's envelope, kept for --json; null for the CLI's own. */
    protected ExitException(int exitCode, String message, Throwable cause, JsonNode gatewayError) {
        super(message, cause, false, false);
        this.exitCode = exitCode;
        this.gatewayError = gatewayError;
    }

    /** The {@code error} object of the gateway's envelope, when the gateway refused; null for the CLI's own errors. */
    public JsonNode gatewayError() {
        return gatewayError;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What {@code --verbose} adds below the message, one item a line; none by default. */
    public List<String> details() {
        return List.of();
    }
}
