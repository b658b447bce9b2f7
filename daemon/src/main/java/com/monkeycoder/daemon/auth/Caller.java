package com.monkeycoder.daemon.auth;

import com.monkeycoder.daemon.limits.Plan;

/**
 * Who sent a request, as the ledger records it (never the key itself, only its id), and the plan its limits and
 * credits follow.
 */
public record Caller(String userId, String keyId, Plan plan) {

    /** A caller on the local daemon's default plan. */
    public Caller(String userId, String keyId) {
        this(userId, keyId, Plan.LOCAL);
    }

    /** The counter the caller's requests are counted on: its key's own when the key has overrides, else its account's. */
    public String limitSubject() {
        return plan.perKey() ? "key:" + keyId : "user:" + userId;
    }
}
