package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.limits.Tier;

/** What a key hash resolves to when a request presents it: the key, its account's tier and email. */
public record KeyGrant(ApiKeyRecord key, Tier tier, String email) {
}
