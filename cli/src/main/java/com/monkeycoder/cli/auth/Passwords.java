package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Where a password comes from: {@code MONKEY_CODER_PASSWORD} (scripts, tests), {@code --password-stdin} (the first
 * line of standard input), else a prompt without echo on a terminal. Never a command-line argument, which other
 * users of the machine could read.
 */
public final class Passwords {

    public static final String ENV = "MONKEY_CODER_PASSWORD";

    private Passwords() {
    }

    /**
     * A new password (reset-password): {@code MONKEY_CODER_PASSWORD}, else the first line of standard input when
     * asked to or when something is piped in, else a prompt without echo, typed twice.
     */
    static String readNew(CliContext context, boolean fromStdin) {
        String env = context.env(ENV);
        if (env != null) {
            return env;
        }
        if (fromStdin || !context.stdin().isTerminal()) {
            try {
                String line = new BufferedReader(new InputStreamReader(context.stdin().stream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line != null && !line.isEmpty()) {
                    return line;
                }
            } catch (IOException e) {
                throw new ExitException(ExitCodes.USAGE, "cannot read the new password from standard input: "
                        + e.getMessage(), e);
            }
            if (fromStdin || System.console() == null) {
                throw new ExitException(ExitCodes.USAGE, "no new password: pipe it on standard input, set " + ENV
                        + ", or run in a terminal to be asked");
            }
        }
        return read(context, false, true);
    }

    public static String read(CliContext context, boolean fromStdin, boolean confirm) {
        String env = context.env(ENV);
        if (env != null) {
            return env;
        }
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new ExitException(ExitCodes.USAGE, "--password-stdin: standard input held no password");
                }
                return line;
            } catch (IOException e) {
                throw new ExitException(ExitCodes.USAGE, "--password-stdin: cannot read standard input: " + e.getMessage(), e);
            }
        }
        java.io.Console console = System.console();
        if (!context.interactive() || console == null) {
            throw new ExitException(ExitCodes.USAGE, "no password: set " + ENV + ", pass --password-stdin,"
                    + " or run in a terminal to be asked");
        }
        char[] first = console.readPassword("Password: ");
        if (first == null || first.length == 0) {
            throw new ExitException(ExitCodes.USAGE, "no password given");
        }
        if (confirm) {
            char[] again = console.readPassword("Password again: ");
            if (again == null || !java.util.Arrays.equals(first, again)) {
                throw new ExitException(ExitCodes.USAGE, "the two passwords differ");
            }
        }
        return new String(first);
    }
}
