package com.monkeycoder.shared.wire;

/**
 * One stored conversation as {@code GET /v1/sessions} lists it: its id ({@code ses_...}), a title (the first task,
 * cut to 80 characters), the model of its last answer, when it began and was last added to (epoch milliseconds),
 * and how many messages it holds.
 */
public record SessionSummary(String id, String title, String model, long createdMs, long updatedMs,
                             int messageCount) {
}
