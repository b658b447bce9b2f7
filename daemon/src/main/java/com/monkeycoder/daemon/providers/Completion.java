package com.monkeycoder.daemon.providers;

/** A whole (non-streamed) answer. {@code usage} is null when the provider reported none. */
public record Completion(String content, String finishReason, TokenCount usage) {
}
