package com.monkeycoder.cli.dashboard;

import com.monkeycoder.cli.CliContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opening a link in the user's browser: {@code BROWSER} when set (a command, as xdg-utils and git read it), else
 * {@code open} on macOS and {@code xdg-open} on a Linux desktop (a {@code DISPLAY} or {@code WAYLAND_DISPLAY});
 * nothing over plain SSH or in CI, where the caller prints the link instead.
 */
final class Browsers {

    private Browsers() {
    }

    /** Whether a browser was started with {@code url}. */
    static boolean open(CliContext context, String url) {
        List<String> command = command(context, url);
        if (command.isEmpty()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            // xdg-open and open return once the browser has the link; a browser command may keep running
            boolean done = p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return !done || p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command to run, or empty when there is no way to show a browser here. */
    static List<String> command(CliContext context, String url) {
        String browser = context.env("BROWSER");
        if (browser != null && !browser.isBlank()) {
            // BROWSER may list several, colon-separated; the first is tried. Split on spaces for its arguments.
            String first = browser.split(":")[0].strip();
            List<String> out = new ArrayList<>(List.of(first.split("\\s+")));
            out.add(url);
            return out;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("open", url);
        }
        boolean display = notBlank(context.env("DISPLAY")) || notBlank(context.env("WAYLAND_DISPLAY"));
        return display && os.contains("linux") ? List.of("xdg-open", url) : List.of();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
