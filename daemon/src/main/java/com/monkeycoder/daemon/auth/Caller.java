package com.monkeycoder.daemon.auth;

import com.monkeycoder.daemon.limits.Plan;

import java.util.Set;

/**
 * Who sent a request, as the ledger records it (never the key itself, only its id), the plan its limits and
 * credits follow, and what its key may do ({@link KeyScope}).
 */
public record Caller(String userId, String keyId, Plan plan, Set<KeyScope> scopes) {

    public Caller {
        scopes = scopes == null ? KeyScope.ALL : Set.copyOf(scopes);
    }

    /** A caller with every scope (the local daemon's user, who is its operator). */
    public Caller(String userId, String keyId, Plan plan) {
        this(userId, keyId, plan, KeyScope.ALL);
    }

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

    public boolean has(KeyScope scope) {
        return scopes.contains(scope);
    }
}
