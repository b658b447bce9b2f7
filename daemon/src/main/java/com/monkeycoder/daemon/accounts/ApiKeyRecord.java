package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.auth.ApiKeys;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.shared.net.Cidr;

import java.util.List;
import java.util.Set;

/**
 * A key as stored: never the key, only its HMAC (kept by the store) and a display prefix. Times are epoch
 * milliseconds, null when not set; the limits are the key's own overrides, null for its tier's; {@code scopes} is
 * what the key may do; {@code allowedCidrs} the addresses it may be used from (empty: any).
 */
public record ApiKeyRecord(String id, String accountId, String prefix, String name, long createdMs, Long lastUsedMs,
                           Long expiresMs, Long revokedMs, Long requestsPerHour, Long requestsPerMonth,
                           Set<KeyScope> scopes, List<Cidr> allowedCidrs) {

    public ApiKeyRecord {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
    }

    /** A key usable from any address. */
    public ApiKeyRecord(String id, String accountId, String prefix, String name, long createdMs, Long lastUsedMs,
                        Long expiresMs, Long revokedMs, Long requestsPerHour, Long requestsPerMonth,
                        Set<KeyScope> scopes) {
        this(id, accountId, prefix, name, createdMs, lastUsedMs, expiresMs, revokedMs, requestsPerHour,
                requestsPerMonth, scopes, List.of());
    }

    /** An {@code mk-test-} key: its prefix is the key's own first characters, so it cannot say otherwise. */
    public boolean test() {
        return prefix.startsWith(ApiKeys.TEST_PREFIX);
    }
}
