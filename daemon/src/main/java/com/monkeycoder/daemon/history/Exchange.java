package com.monkeycoder.daemon.history;

/**
 * What one completed request adds to its conversation: the task as the caller wrote it, the model's final
 * answer, and the {@code provider/model} that answered.
 */
public record Exchange(String task, String answer, String model) {
}
