package com.monkeycoder.shared;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the CLI's {@code monkey daemon run} starts the gateway in the same JVM without compiling against the
 * gateway's internals: the gateway module provides this through {@link java.util.ServiceLoader}.
 */
public interface GatewayLauncher {

    /**
     * Runs the gateway in the foreground until the process is told to stop (SIGTERM, Ctrl-C); then drains
     * in-flight requests and returns the process exit code.
     *
     * @param port null for the configured port
     * @param mode "local" or "gateway", null for local
     */
    int runForeground(Map<String, String> env, Integer port, String mode, PrintStream out, PrintStream err);

    /**
     * {@code monkey daemon admin create}: makes {@code email}'s account an administrator of the shared gateway whose
     * database {@code env} names ({@code DATABASE_URL}, as {@code monkey daemon run --mode gateway} reads it),
     * creating the account when there is none, with the password {@code password} gives (asked only then).
     *
     * @throws Failure with the exit code and a one-line message when it cannot
     */
    AdminCreated createAdmin(Map<String, String> env, String email, Supplier<String> password);

    /**
     * What {@link #createAdmin} did.
     *
     * @param outcome {@code created}, {@code promoted} or {@code already_admin}
     */
    record AdminCreated(String outcome, String accountId, String email) {
    }

    /** A command the launcher could not carry out: the CLI's exit code and one line saying why. */
    final class Failure extends RuntimeException {
        private final int exitCode;

        public Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
