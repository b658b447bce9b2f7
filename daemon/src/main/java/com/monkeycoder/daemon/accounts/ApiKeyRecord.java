package com.monkeycoder.daemon.accounts;

/**
 * A key as stored: never the key, only its HMAC (kept by the store) and a display prefix. Times are epoch
 * milliseconds, null when not set; the limits are the key's own overrides, null for its tier's.
 */
public record ApiKeyRecord(String id, String accountId, String prefix, String name, long createdMs, Long lastUsedMs,
                           Long expiresMs, Long revokedMs, Long requestsPerHour, Long requestsPerMonth) {
}
