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

    /** The counters of the caller's account, which every request of every key of the account counts on. */
    public String accountSubject() {
        return "user:" + userId;
    }

    /** The key's own counters, which its requests count on as well when the key has its own limits. */
    public String keySubject() {
        return "key:" + keyId;
    }
}
