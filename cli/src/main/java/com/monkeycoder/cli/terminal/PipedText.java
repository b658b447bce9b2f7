package com.monkeycoder.cli.terminal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads what was piped into stdin, all of it: nothing when stdin is a terminal. A pipe whose writer takes its time
 * ({@code sleep 20 | monkey implement "hi"}) would otherwise look like a hung command, so after {@link #NOTICE_AFTER}
 * a notice says what the command waits for and how not to.
 */
public final class PipedText {

    /** Long enough that a quick pipe ({@code git diff |}) never shows the notice. */
    public static final Duration NOTICE_AFTER = Duration.ofSeconds(1);

    static final String NOTICE = "monkey: reading stdin... (pass --no-stdin not to read it)";

    private PipedText() {
    }

    /**
     * The text piped in; empty when stdin is a terminal or sent nothing but white space.
     *
     * @param notices where the notice goes when reading takes a while; null for never (stderr is not a terminal,
     *                or --quiet)
     */
    public static Optional<String> read(Stdin stdin, PrintWriter notices) {
        if (stdin.isTerminal()) {
            return Optional.empty();
        }
        Thread notice = notices == null ? null : Thread.ofVirtual().name("monkey-stdin-notice").start(() -> {
            try {
                Thread.sleep(NOTICE_AFTER);
            } catch (InterruptedException read) {
                return;
            }
            synchronized (notices) {
                notices.println(NOTICE);
                notices.flush();
            }
        });
        try {
            String text = new String(stdin.stream().readAllBytes(), StandardCharsets.UTF_8);
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
        } finally {
            if (notice != null) {
                notice.interrupt();
                joinQuietly(notice);
            }
        }
    }

    /** Waits for the notice thread, so that a notice is never printed after the text was read. */
    private static void joinQuietly(Thread notice) {
        try {
            notice.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
