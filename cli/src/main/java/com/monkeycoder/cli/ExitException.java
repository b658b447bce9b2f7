package com.monkeycoder.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Ends a command with a one-line message on stderr and a documented exit code; thrown from anywhere. */
public final class ExitException extends RuntimeException {

    private final int exitCode;
    private final transient JsonNode gatewayError;

    public ExitException(int exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public ExitException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, null);
    }

    private ExitException(int exitCode, String message, Throwable cause, JsonNode gatewayError) {
        super(message, cause, false, false);
        this.exitCode = exitCode;
        this.gatewayError = gatewayError;
    }

    /** A gateway's refusal: {@code gatewayError} is the {@code error} object of its envelope, kept for --json. */
    public static ExitException fromGateway(int exitCode, String message, JsonNode gatewayError) {
        return new ExitException(exitCode, message, null, gatewayError);
    }

    /** The {@code error} object of the gateway's envelope, when the gateway refused; null for the CLI's own errors. */
    public JsonNode gatewayError() {
        return gatewayError;
    }

    public int exitCode() {
        return exitCode;
    }
}
