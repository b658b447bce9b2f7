package com.monkeycoder.shared.sse;

/** One Server-Sent Event: {@code event} is "message" when the stream named none. */
public record SseEvent(String event, String data, String id) {

    public static SseEvent message(String data) {
        return new SseEvent("message", data, null);
    }
}
