package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * The body of {@code GET /v1/sessions}: the caller's conversations, the most recently updated first.
 * {@code nextBefore} is the {@code ?before=} value of the next page, or null when this page is the last.
 */
public record SessionList(List<SessionSummary> sessions, Long nextBefore) {

    public SessionList {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }
}
