package com.monkeycoder.cli.terminal;

import org.jline.jansi.Ansi;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Colours for one output stream: on only when it is a terminal and {@code NO_COLOR} is not set (no-color.org), so
 * pipes, files and scripts get plain text.
 */
public final class Style {

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    public static Style forStream(boolean isTerminal, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return new Style(isTerminal && (noColor == null || noColor.isEmpty()));
    }

    public static Style plain() {
        return new Style(false);
    }

    public boolean enabled() {
        return enabled;
    }

    public String red(String text) {
        return paint(text, a -> a.fgRed());
    }

    public String green(String text) {
        return paint(text, a -> a.fgGreen());
    }

    public String yellow(String text) {
        return paint(text, a -> a.fgYellow());
    }

    public String cyan(String text) {
        return paint(text, a -> a.fgCyan());
    }

    public String bold(String text) {
        return paint(text, a -> a.bold());
    }

    public String dim(String text) {
        return paint(text, a -> a.a(Ansi.Attribute.INTENSITY_FAINT));
    }

    private String paint(String text, UnaryOperator<Ansi> how) {
        // new Ansi() always emits codes; Ansi.ansi() would consult jansi's own global detection instead of ours.
        return enabled ? how.apply(new Ansi()).a(text).reset().toString() : text;
    }
}
