package com.monkeycoder.daemon.accounts;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;

/**
 * Revocations in Redis: one key per revoked key id, read with one {@code EXISTS} per request. The marker only
 * has to outlive the auth caches (seconds); it is kept a day.
 */
public final class RedisRevocations implements Revocations {

    private static final Duration KEEP = Duration.ofDays(1);

    private final UnifiedJedis redis;
    private final String prefix;

    public RedisRevocations(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public void revoke(String keyId) {
        redis.set(prefix + "revoked:" + keyId, "1", SetParams.setParams().px(KEEP.toMillis()));
    }

    @Override
    public boolean isRevoked(String keyId) {
        return redis.exists(prefix + "revoked:" + keyId);
    }
}
