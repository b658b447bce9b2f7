package com.monkeycoder.daemon.dashboard;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A shared gateway's browser sessions in Redis, one key per session ({@code <prefix>web:<hash of the cookie>}, its
 * fields on lines: an email has no line break) that expires with the session, so any instance behind the load
 * balancer knows the cookie and a sign-out on one is seen by all at once. A set per account
 * ({@code <prefix>web-of:<account id>}) names its sessions' hashes for the Security page's list; it lives as long as
 * the newest session, and members whose session expired are dropped as the list is read.
 */
public final class RedisBrowserSessionStore implements BrowserSessionStore {

    private final UnifiedJedis redis;
    private final String prefix;
    private final Clock clock;

    public RedisBrowserSessionStore(UnifiedJedis redis, String prefix, Clock clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public void save(BrowserSession s) {
        long ttl = Math.max(1, s.expiresMs() - clock.millis());
        redis.set(key(s.idHash()), s.accountId() + "\n" + s.label() + "\n" + s.csrfToken() + "\n" + s.expiresMs(),
                SetParams.setParams().px(ttl));
        String index = index(s.accountId());
        redis.sadd(index, s.idHash());
        // sessions all last as long, so the newest one's end is the set's
        redis.pexpire(index, ttl);
    }

    @Override
    public Optional<BrowserSession> find(String idHash) {
        String value = redis.get(key(idHash));
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\n", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BrowserSession(idHash, parts[0], parts[1], parts[2], Long.parseLong(parts[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String idHash) {
        find(idHash).ifPresent(s -> redis.srem(index(s.accountId()), idHash));
        redis.del(key(idHash));
    }

    @Override
    public List<BrowserSession> ofAccount(String accountId) {
        List<BrowserSession> out = new ArrayList<>();
        for (String idHash : redis.smembers(index(accountId))) {
            Optional<BrowserSession> s = find(idHash).filter(x -> x.accountId().equals(accountId));
            if (s.isPresent()) {
                out.add(s.get());
            } else {
                redis.srem(index(accountId), idHash);
            }
        }
        return out;
    }

    private String index(String accountId) {
        return prefix + "web-of:" + accountId;
    }

    private String key(String idHash) {
        return prefix + "web:" + idHash;
    }
}
