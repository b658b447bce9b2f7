package com.monkeycoder.daemon.limits;

import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Counters in Redis, shared by every gateway instance. One Lua script reads both windows and counts the request
 * only when both allow it, atomically, so N instances admit exactly the plan's limit between them, never N times
 * it. Window names and expiries come from the gateway's clock (passed in), not Redis's, so tests move time by
 * hand. A subject's keys share a hash tag, so the script also runs on Redis Cluster.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final String ACQUIRE = """
            local h = tonumber(redis.call('GET', KEYS[1]) or '0')
            local m = tonumber(redis.call('GET', KEYS[2]) or '0')
            local hourLimit = tonumber(ARGV[1])
            local monthLimit = tonumber(ARGV[2])
            if monthLimit >= 0 and m >= monthLimit then return {2, h, m} end
            if h >= hourLimit then return {1, h, m} end
            h = redis.call('INCR', KEYS[1])
            if h == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            m = redis.call('INCR', KEYS[2])
            if m == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
            return {0, h, m}""";

    private static final String HIT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n""";

    /** Counters outlive their window by this much, so a clock a little ahead on one instance loses no count. */
    private static final long SLACK_MS = 60_000;

    private final UnifiedJedis redis;
    private final String prefix;

    /** @param prefix put before every key ({@code monkey:} by default; tests use one per test) */
    public RedisRateLimiter(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public Decision acquire(String subject, Plan plan, Instant now) {
        List<String> keys = keys(subject, now);
        Object result = redis.eval(ACQUIRE, keys, List.of(
                Long.toString(plan.requestsPerHour()),
                Long.toString(plan.monthlyCapped() ? plan.requestsPerMonth() : -1),
                Long.toString(Duration.between(now, Windows.hourEnd(now)).toMillis() + SLACK_MS),
                Long.toString(Duration.between(now, Windows.monthEnd(now)).toMillis() + SLACK_MS)));
        List<?> r = (List<?>) result;
        Verdict verdict = switch (((Number) r.get(0)).intValue()) {
            case 0 -> Verdict.ADMITTED;
            case 1 -> Verdict.HOURLY_LIMIT;
            default -> Verdict.MONTHLY_QUOTA;
        };
        return new Decision(verdict, ((Number) r.get(1)).longValue(), ((Number) r.get(2)).longValue());
    }

    @Override
    public Decision peek(String subject, Plan plan, Instant now) {
        List<String> keys = keys(subject, now);
        List<String> values = redis.mget(keys.get(0), keys.get(1));
        return new Decision(Verdict.ADMITTED, parse(values.get(0)), parse(values.get(1)));
    }

    @Override
    public Hit hit(String subject, Duration window, Instant now) {
        long slot = now.toEpochMilli() / window.toMillis();
        Instant end = Instant.ofEpochMilli((slot + 1) * window.toMillis());
        String key = prefix + "throttle:{" + subject + "}:w" + window.toMillis() + ":" + slot;
        long ttl = Duration.between(now, end).toMillis() + SLACK_MS;
        long n = ((Number) redis.eval(HIT, List.of(key), List.of(Long.toString(ttl)))).longValue();
        return new Hit(n, Duration.between(now, end));
    }

    private List<String> keys(String subject, Instant now) {
        String base = prefix + "rl:{" + subject + "}:";
        return List.of(base + Windows.hourId(now), base + Windows.monthId(now));
    }

    private static long parse(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public void close() {
        // the Redis client is shared and closed by whoever opened it
    }
}
