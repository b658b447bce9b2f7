package com.monkeycoder.daemon.audit;

import java.util.List;

/** Events newest first, and the cursor of the page after them (null when there is none). */
public record AuditPage(List<AuditEvent> events, String next) {
}
