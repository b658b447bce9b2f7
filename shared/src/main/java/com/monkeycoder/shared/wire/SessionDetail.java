package com.monkeycoder.shared.wire;

import java.util.List;

/** The body of {@code GET /v1/sessions/{id}}: the conversation as listed, and its messages, oldest first. */
public record SessionDetail(String id, String title, String model, long createdMs, long updatedMs,
                            int messageCount, List<SessionMessage> messages) {

    public SessionDetail {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
