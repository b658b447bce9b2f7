package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.auth.KeyScope;

import java.util.Set;

/**
 * A key as stored: never the key, only its HMAC (kept by the store) and a display prefix. Times are epoch
 * milliseconds, null when not set; the limits are the key's own overrides, null for its tier's; {@code scopes} is
 * what the key may do.
 */
public record ApiKeyRecord(String id, String accountId, String prefix, String name, long createdMs, Long lastUsedMs,
                           Long expiresMs, Long revokedMs, Long requestsPerHour, Long requestsPerMonth,
                           Set<KeyScope> scopes) {

    public ApiKeyRecord {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }
}
