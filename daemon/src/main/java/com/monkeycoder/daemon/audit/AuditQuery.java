package com.monkeycoder.daemon.audit;

/**
 * A page of the audit log, newest first.
 *
 * @param accountId only this account's events; null for every account's (an admin's view)
 * @param fromMs    events at or after this time; null for no bound
 * @param toMs      events before this time; null for no bound
 * @param action    only this action; null for all
 * @param before    the cursor of the last page's last event ({@link AuditPage#next}); null for the first page
 * @param limit     1 to {@link #MAX_LIMIT} events
 */
public record AuditQuery(String accountId, Long fromMs, Long toMs, String action, String before, int limit) {

    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
    }
}
