package com.monkeycoder.daemon.history;

import java.nio.charset.StandardCharsets;

/** Cuts a text to a number of UTF-8 bytes, on a character boundary, and says so at its end. */
final class TextCap {

    static final String MARKER = "\n[truncated]";
    static final int MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8).length;

    private TextCap() {
    }

    /** {@code text} itself when it fits in {@code maxBytes}; else its longest head that fits with the marker. */
    static String cap(String text, int maxBytes) {
        if ((long) text.length() * 3 <= maxBytes || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int budget = maxBytes - MARKER_BYTES;
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end) + MARKER;
    }
}
