package com.monkeycoder.cli;

import com.monkeycoder.shared.MonkeyPaths;

import java.util.Map;

/**
 * What a command may read from its surroundings, injected so tests control it: the environment, and
 * whether the output is a terminal.
 */
public record CliContext(Map<String, String> env, boolean interactive) {

    public CliContext {
        env = Map.copyOf(env);
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), stdoutIsTerminal());
    }

    private static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; isTerminal() tells. Java 21 has no such method.
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
        }
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public MonkeyPaths paths() {
        return MonkeyPaths.from(env);
    }
}
