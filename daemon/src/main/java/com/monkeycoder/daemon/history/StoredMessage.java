package com.monkeycoder.daemon.history;

/**
 * One stored message. {@code seq} grows by one per message and is never reused: a task is even, its answer the
 * odd number after it. {@code model} is the answering {@code provider/model}, null for the task.
 */
public record StoredMessage(long seq, Speaker role, String text, String model, long createdMs) {
}
