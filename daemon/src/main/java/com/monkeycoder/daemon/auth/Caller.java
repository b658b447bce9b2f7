package com.monkeycoder.daemon.auth;

import com.monkeycoder.daemon.limits.Plan;
import com.monkeycoder.shared.net.Cidr;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Who sent a request, as the ledger records it (never the key itself, only its id), the plan its limits and
 * credits follow, and what its key may do ({@link KeyScope}).
 *
 * @param allowedCidrs the addresses the key may be used from; empty for any
 * @param test         an {@code mk-test-} key: it reaches only the demo provider and costs nothing
 */
public record Caller(String userId, String keyId, Plan plan, Set<KeyScope> scopes, List<Cidr> allowedCidrs,
                     boolean test) {

    public Caller {
        scopes = scopes == null ? KeyScope.ALL : Set.copyOf(scopes);
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
    }

    /** A live key usable from anywhere. */
    public Caller(String userId, String keyId, Plan plan, Set<KeyScope> scopes) {
        this(userId, keyId, plan, scopes, List.of(), false);
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

    /** Whether the key may be used from {@code client}: always without an allowlist, never from an unknown address. */
    public boolean allowsAddress(InetAddress client) {
        if (allowedCidrs.isEmpty()) {
            return true;
        }
        if (client == null) {
            return false;
        }
        for (Cidr c : allowedCidrs) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
