package com.monkeycoder.daemon.accounts;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.List;

/**
 * Revocations in Redis: one key per revoked key id and one change counter per changed account, both read with one
 * {@code MGET} per request. The markers only have to outlive the auth caches (seconds); they are kept a day.
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

    @Override
    public void accountChanged(String accountId) {
        String key = prefix + "account:" + accountId;
        redis.incr(key);
        redis.pexpire(key, KEEP.toMillis());
    }

    @Override
    public Marks marks(String keyId, String accountId) {
        List<String> values = redis.mget(prefix + "revoked:" + keyId, prefix + "account:" + accountId);
        String version = values.get(1);
        long v;
        try {
            v = version == null ? 0 : Long.parseLong(version);
        } catch (NumberFormatException e) {
            v = -1; // not ours to read: treat as changed, which only costs a database read
        }
        return new Marks(values.get(0) != null, v);
    }
}
