package com.monkeycoder.shared.sse;

import java.nio.charset.StandardCharsets;

/** Frames events for writing: the counterpart of {@link SseReader}, used by the gateway and by test fakes. */
public final class SseFormat {

    private SseFormat() {
    }

    /** One event as bytes; multi-line data becomes several {@code data:} lines. */
    public static byte[] frame(String event, String data) {
        StringBuilder out = new StringBuilder(data.length() + 32);
        if (event != null && !event.equals("message")) {
            out.append("event: ").append(event).append('\n');
        }
        for (String part : data.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(part).append('\n');
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An unnamed event, as OpenAI-style streams send them. */
    public static byte[] data(String data) {
        return frame(null, data);
    }
}
