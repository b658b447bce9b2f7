package com.monkeycoder.daemon.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local daemon's counters, in memory: one process, so a lock is the whole of the atomicity (every counter of
 * a request is checked, then all are counted, or none). Windows that
 * have ended are dropped as new ones start, so the map holds only current windows.
 */
public final class MemoryRateLimiter implements RateLimiter {

    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, Instant> ends = new HashMap<>();

    @Override
    public synchronized Decision acquire(List<Counter> counters, Instant now) {
        Decision current = peek(counters, now);
        List<Count> counts = current.counts();
        for (int i = 0; i < counts.size(); i++) {
            Count c = counts.get(i);
            if (c.counter().monthlyCapped() && c.monthUsed() >= c.counter().perMonth()) {
                return new Decision(Verdict.MONTHLY_QUOTA, counts, i);
            }
        }
        for (int i = 0; i < counts.size(); i++) {
            Count c = counts.get(i);
            if (c.hourUsed() >= c.counter().perHour()) {
                return new Decision(Verdict.HOURLY_LIMIT, counts, i);
            }
        }
        List<Count> after = new ArrayList<>(counts.size());
        for (Count c : counts) {
            String subject = c.counter().subject();
            put(subject + ":" + Windows.hourId(now), c.hourUsed() + 1, Windows.hourEnd(now), now);
            put(subject + ":" + Windows.monthId(now), c.monthUsed() + 1, Windows.monthEnd(now), now);
            after.add(new Count(c.counter(), c.hourUsed() + 1, c.monthUsed() + 1));
        }
        return new Decision(Verdict.ADMITTED, List.copyOf(after), -1);
    }

    @Override
    public synchronized Decision peek(List<Counter> counters, Instant now) {
        List<Count> counts = new ArrayList<>(counters.size());
        for (Counter c : counters) {
            counts.add(new Count(c, count(c.subject() + ":" + Windows.hourId(now), now),
                    count(c.subject() + ":" + Windows.monthId(now), now)));
        }
        return new Decision(Verdict.ADMITTED, List.copyOf(counts), -1);
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

    @Override
    public synchronized Hit attempts(String subject, Duration window, Instant now) {
        long slot = now.toEpochMilli() / window.toMillis();
        Instant end = Instant.ofEpochMilli((slot + 1) * window.toMillis());
        return new Hit(count(subject + ":w" + window.toMillis() + ":" + slot, now), Duration.between(now, end));
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
