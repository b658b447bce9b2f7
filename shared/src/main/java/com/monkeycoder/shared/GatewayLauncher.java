package com.monkeycoder.shared;

import java.io.PrintStream;
import java.util.Map;

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
}
