package com.monkeycoder.daemon.audit;

import java.util.Map;

/**
 * One line of the audit log.
 *
 * @param accountId the account the event concerns; null when it concerns none (a webhook that failed its signature)
 * @param actor     who acted: an account id, or a part of the system ({@link #STRIPE}, {@link #SYSTEM})
 * @param action    what happened, one of {@link AuditActions}' names
 * @param target    what it was done to (a key id, an account id, a Stripe event id), or null
 * @param details   a few small values (amounts, reasons, plan names); never a secret
 */
public record AuditEvent(String id, long timeMs, String accountId, String actor, String action, String target,
                         Origin origin, Map<String, Object> details) {

    public static final String STRIPE = "stripe";
    public static final String SYSTEM = "system";

    public AuditEvent {
        origin = origin == null ? Origin.SYSTEM : origin;
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** An event the log will give an id and a time when it writes it. */
    public static AuditEvent of(String action, String accountId, String actor, String target, Origin origin,
                                Map<String, Object> details) {
        return new AuditEvent(null, 0, accountId, actor, action, target, origin, details);
    }
}
