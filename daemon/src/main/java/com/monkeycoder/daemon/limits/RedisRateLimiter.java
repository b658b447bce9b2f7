package com.monkeycoder.daemon.limits;

import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Counters in Redis, shared by every gateway instance. One Lua script reads both windows of every counter of a
 * request (its account's, and its key's when the key has overrides) and counts the request on all of them only
 * when all allow it, atomically, so N instances admit exactly the limit between them, never N times it, and a
 * refused request is counted nowhere. Window names and expiries come from the gateway's clock (passed in), not Redis's, so tests move time by
 * hand. A request's keys share its account's hash tag, so the script also runs on Redis Cluster.
 */
public final class RedisRateLimiter implements RateLimiter {

    /**
     * KEYS: hour and month counter of each counter in turn; ARGV: the hour's and the month's expiry (ms), then each
     * counter's hourly and monthly limit (-1: no monthly cap). Reads every counter, refuses on the first that is
     * full (monthly quotas before hourly limits) counting nothing, else counts on all. Answers
     * {verdict, index of the refusing counter or -1, hour and month count of each counter}.
     */
    private static final String ACQUIRE = """
            local n = #KEYS / 2
            local counts = {}
            for i = 1, n do
              counts[2 * i - 1] = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
              counts[2 * i] = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
            end
            for i = 1, n do
              local monthLimit = tonumber(ARGV[2 + 2 * i])
              if monthLimit >= 0 and counts[2 * i] >= monthLimit then
                return {2, i - 1, unpack(counts)}
              end
            end
            for i = 1, n do
              if counts[2 * i - 1] >= tonumber(ARGV[1 + 2 * i]) then
                return {1, i - 1, unpack(counts)}
              end
            end
            for i = 1, n do
              counts[2 * i - 1] = redis.call('INCR', KEYS[2 * i - 1])
              if counts[2 * i - 1] == 1 then redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[1]) end
              counts[2 * i] = redis.call('INCR', KEYS[2 * i])
              if counts[2 * i] == 1 then redis.call('PEXPIRE', KEYS[2 * i], ARGV[2]) end
            end
            return {0, -1, unpack(counts)}""";

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
    public Decision acquire(List<Counter> counters, Instant now) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(Duration.between(now, Windows.hourEnd(now)).toMillis() + SLACK_MS));
        args.add(Long.toString(Duration.between(now, Windows.monthEnd(now)).toMillis() + SLACK_MS));
        for (Counter c : counters) {
            args.add(Long.toString(c.perHour()));
            args.add(Long.toString(c.monthlyCapped() ? c.perMonth() : -1));
        }
        List<?> r = (List<?>) redis.eval(ACQUIRE, keys(counters, now), args);
        Verdict verdict = switch (((Number) r.get(0)).intValue()) {
            case 0 -> Verdict.ADMITTED;
            case 1 -> Verdict.HOURLY_LIMIT;
            default -> Verdict.MONTHLY_QUOTA;
        };
        List<Count> counts = new ArrayList<>(counters.size());
        for (int i = 0; i < counters.size(); i++) {
            counts.add(new Count(counters.get(i), ((Number) r.get(2 + 2 * i)).longValue(),
                    ((Number) r.get(3 + 2 * i)).longValue()));
        }
        return new Decision(verdict, List.copyOf(counts), ((Number) r.get(1)).intValue());
    }

    @Override
    public Decision peek(List<Counter> counters, Instant now) {
        List<String> values = redis.mget(keys(counters, now).toArray(String[]::new));
        List<Count> counts = new ArrayList<>(counters.size());
        for (int i = 0; i < counters.size(); i++) {
            counts.add(new Count(counters.get(i), parse(values.get(2 * i)), parse(values.get(2 * i + 1))));
        }
        return new Decision(Verdict.ADMITTED, List.copyOf(counts), -1);
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

    @Override
    public Hit attempts(String subject, Duration window, Instant now) {
        long slot = now.toEpochMilli() / window.toMillis();
        Instant end = Instant.ofEpochMilli((slot + 1) * window.toMillis());
        String value = redis.get(prefix + "throttle:{" + subject + "}:w" + window.toMillis() + ":" + slot);
        return new Hit(value == null ? 0 : Long.parseLong(value), Duration.between(now, end));
    }

    /**
     * Each counter's hour and month key. All share the first counter's hash tag (the account), so one script may
     * touch them on Redis Cluster; the first keeps the names counters had before keys were counted with their
     * account ({@code rl:{user:<id>}:<window>}), the others add their subject ({@code rl:{user:<id>}:key:<id>:<window>}).
     */
    private List<String> keys(List<Counter> counters, Instant now) {
        if (counters.isEmpty()) {
            throw new IllegalArgumentException("a request is counted on at least one counter");
        }
        String tag = prefix + "rl:{" + counters.getFirst().subject() + "}:";
        List<String> keys = new ArrayList<>(2 * counters.size());
        for (int i = 0; i < counters.size(); i++) {
            String base = i == 0 ? tag : tag + counters.get(i).subject() + ":";
            keys.add(base + Windows.hourId(now));
            keys.add(base + Windows.monthId(now));
        }
        return keys;
    }

    private static long parse(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public void close() {
        // the Redis client is shared and closed by whoever opened it
    }
}
