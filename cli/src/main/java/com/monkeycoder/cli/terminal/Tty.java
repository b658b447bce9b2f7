package com.monkeycoder.cli.terminal;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The user's terminal, for questions that need a person's answer (may these files be written?). It is the
 * controlling terminal ({@code /dev/tty}), not stdin, so that a question can be answered while stdin is a pipe.
 */
public interface Tty {

    /** No terminal: nobody can be asked (CI, cron, a service). */
    Tty NONE = new Tty() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Optional<String> ask(String question) {
            return Optional.empty();
        }
    };

    /** Whether there is a person's terminal to ask on. */
    boolean available();

    /** Shows {@code question} on the terminal and returns the line typed; empty when there is no terminal. */
    Optional<String> ask(String question);

    /** True when the answer to {@code question} is y or yes. */
    default boolean confirm(String question) {
        return ask(question).map(a -> a.strip().toLowerCase(java.util.Locale.ROOT))
                .map(a -> a.equals("y") || a.equals("yes")).orElse(false);
    }

    /** This process's controlling terminal. */
    static Tty system() {
        return new Tty() {
            private static final String DEV_TTY = "/dev/tty";

            @Override
            public boolean available() {
                // Opening /dev/tty fails (ENXIO) when the process has no controlling terminal.
                try (FileInputStream ignored = new FileInputStream(DEV_TTY)) {
                    return true;
                } catch (IOException | SecurityException e) {
                    return false;
                }
            }

            @Override
            public Optional<String> ask(String question) {
                try (FileInputStream in = new FileInputStream(DEV_TTY); OutputStream out = new FileOutputStream(DEV_TTY)) {
                    out.write(question.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                    return Optional.ofNullable(line);
                } catch (IOException | SecurityException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
