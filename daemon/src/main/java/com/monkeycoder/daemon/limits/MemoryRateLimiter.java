package com.monkeycoder.daemon.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The local daemon's counters, in memory: one process, so a lock is the whole of the atomicity. Windows that
 * have ended are dropped as new ones start, so the map holds only current windows.
 */
public final class MemoryRateLimiter implements RateLimiter {

    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, Instant> ends = new HashMap<>();

    @Override
    public synchronized Decision acquire(String subject, Plan plan, Instant now) {
        String hour = subject + ":" + Windows.hourId(now);
        String month = subject + ":" + Windows.monthId(now);
        long h = count(hour, now);
        long m = count(month, now);
        if (plan.monthlyCapped() && m >= plan.requestsPerMonth()) {
            return new Decision(Verdict.MONTHLY_QUOTA, h, m);
        }
        if (h >= plan.requestsPerHour()) {
            return new Decision(Verdict.HOURLY_LIMIT, h, m);
        }
        put(hour, h + 1, Windows.hourEnd(now), now);
        put(month, m + 1, Windows.monthEnd(now), now);
        return new Decision(Verdict.ADMITTED, h + 1, m + 1);
    }

    @Override
    public synchronized Decision peek(String subject, Plan plan, Instant now) {
        return new Decision(Verdict.ADMITTED, count(subject + ":" + Windows.hourId(now), now),
                count(subject + ":" + Windows.monthId(now), now));
    }

    @Override
    public synchronized Hit hit(String subject, Duration window, Instant now) {
        long slot = now.toEpochMilli() / window.toMillis();
        String key = subject + ":w" + window.toMillis() + ":" + slot;
        Instant end = Instant.ofEpochMilli((slot + 1) * window.toMillis());
        long n = count(key, now) + 1;
        put(key, n, end, now);
        return new Hit(n, Duration.between(now, end));
    }

    private long count(String key, Instant now) {
        Instant end = ends.get(key);
        if (end == null || !now.isBefore(end)) {
            return 0;
        }
        return counts.getOrDefault(key, 0L);
    }

    private void put(String key, long value, Instant end, Instant now) {
        if (!ends.containsKey(key)) {
            // A new window starts: forget those that ended.
            ends.entrySet().removeIf(e -> {
                boolean over = !now.isBefore(e.getValue());
                if (over) {
                    counts.remove(e.getKey());
                }
                return over;
            });
        }
        counts.put(key, value);
        ends.put(key, end);
    }

    @Override
    public void close() {
    }
}
