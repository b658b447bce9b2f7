package com.monkeycoder.cli.output;

/**
 * Text that came from a model or a server, made safe to print on a terminal: C0 control characters (except newline
 * and tab), DEL and C1 control characters are dropped, so escape sequences cannot move the cursor, erase lines or
 * retitle the window, and a carriage return cannot print over what came before it (hiding a plan line, say).
 * What remains of a sequence ({@code [2K}) stays visible, which shows that something was there; characters that
 * reorder or hide text (bidirectional overrides, zero-width ones) are shown as {@code <U+202E>}.
 */
public final class SafeText {

    private SafeText() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i)) && !isReordering(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length());
        kept.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isReordering(c)) {
                kept.append(String.format("<U+%04X>", (int) c)); // shown, so a reviewer sees the trick
            } else if (!isControl(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /**
     * Bidirectional overrides and isolates, marks, and zero-width characters: invisible, yet they reorder or hide
     * what a line shows ("Trojan Source": {@code x\u202Ehs.txt} reads as {@code xtxt.sh}), in a diff or a file name.
     */
    public static boolean isReordering(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0x061C;
    }

    /** C0 but newline and tab, DEL, and C1 (U+0080 to U+009F). */
    public static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    public static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> isControl((char) c));
    }
}
