package com.monkeycoder.daemon.sessions;

/**
 * A session as stored: one sign-in from one client, the family of refresh tokens it holds. {@code expiresMs} is when
 * its newest refresh token stops working; {@code revokedMs} when it was ended (null: not).
 */
public record SessionRecord(String id, String accountId, long createdMs, long lastUsedMs, long expiresMs,
                            Long revokedMs, String revokedReason, String clientAddress, String userAgent) {

    public boolean activeAt(long nowMs) {
        return revokedMs == null && nowMs < expiresMs;
    }
}
