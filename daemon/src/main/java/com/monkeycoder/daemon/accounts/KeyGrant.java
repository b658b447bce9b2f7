package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.limits.Tier;

/**
 * What a key hash resolves to when a request presents it: the key, and its account's tier, email, role and when
 * it was disabled (null: enabled).
 */
public record KeyGrant(ApiKeyRecord key, Tier tier, String email, Role role, Long accountDisabledMs) {

    public KeyGrant {
        role = role == null ? Role.USER : role;
    }

    public KeyGrant(ApiKeyRecord key, Tier tier, String email) {
        this(key, tier, email, Role.USER, null);
    }
}
