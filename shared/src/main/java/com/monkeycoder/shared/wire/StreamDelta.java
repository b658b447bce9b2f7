package com.monkeycoder.shared.wire;

/** The data of a {@code delta} event in the native SSE stream of {@code /v1/execute}. */
public record StreamDelta(String content) {
}
