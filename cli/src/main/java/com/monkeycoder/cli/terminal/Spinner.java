package com.monkeycoder.cli.terminal;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line spinner with elapsed time on stderr while the user waits for the first token. It draws nothing unless
 * stderr is a terminal, and erases its line when stopped so the answer starts on a clean line.
 */
public final class Spinner implements AutoCloseable {

    private static final String[] UNICODE = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] ASCII = {"|", "/", "-", "\\"};
    private static final String ERASE_LINE = "\r\u001b[2K";
    private static final Duration TICK = Duration.ofMillis(100);

    private final PrintWriter err;
    private final String label;
    private final String[] frames;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private boolean stopped;
    private boolean drawn;

    private Spinner(PrintWriter err, String label, boolean unicode) {
        this.err = err;
        this.label = label;
        this.frames = unicode ? UNICODE : ASCII;
        this.thread = Thread.ofPlatform().daemon().name("monkey-spinner").unstarted(this::spin);
    }

    /** A running spinner, or one that draws nothing when {@code enabled} is false (stderr is not a terminal). */
    public static Spinner start(PrintWriter err, String label, boolean enabled, java.util.Map<String, String> env) {
        Spinner spinner = new Spinner(err, label, utf8(env));
        if (enabled) {
            spinner.draw(0);
            spinner.thread.start();
        } else {
            spinner.stopped = true;
        }
        return spinner;
    }

    private void spin() {
        for (int frame = 1; ; frame++) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            if (!draw(frame)) {
                return;
            }
        }
    }

    private synchronized boolean draw(int frame) {
        if (stopped) {
            return false;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        err.print("\r" + frames[frame % frames.length] + " " + label + " " + String.format(Locale.ROOT, "%.1fs", seconds));
        err.flush();
        drawn = true;
        return true;
    }

    /** Stops and erases the spinner; safe to call more than once. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (drawn) {
                err.print(ERASE_LINE);
                err.flush();
            }
        }
        thread.interrupt();
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean utf8(java.util.Map<String, String> env) {
        for (String name : new String[]{"LC_ALL", "LC_CTYPE", "LANG"}) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return value.toUpperCase(Locale.ROOT).replace("-", "").contains("UTF8");
            }
        }
        return false;
    }
}
