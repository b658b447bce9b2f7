package com.monkeycoder.shared.wire;

/**
 * One message of a stored conversation: its place ({@code seq}, growing by one per message and never reused),
 * {@code role} {@code user} or {@code assistant}, its text, the model that wrote it (null for the user's) and
 * when it was stored (epoch milliseconds). A text longer than the gateway's per-message cap ends with
 * {@code [truncated]}.
 */
public record SessionMessage(long seq, String role, String content, String model, long createdMs) {
}
