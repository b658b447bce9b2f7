package com.monkeycoder.daemon.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts requests against a plan's hourly limit and monthly quota. In gateway mode the counters live in Redis
 * and change in one atomic script, so N gateway instances enforce one global limit; the local daemon counts in
 * memory.
 */
public interface RateLimiter extends AutoCloseable {

    /** What became of a request: admitted, or refused by the hourly limit or the monthly quota. */
    enum Verdict { ADMITTED, HOURLY_LIMIT, MONTHLY_QUOTA }

    /**
     * @param hourUsed  requests counted in this hour, this one included when admitted
     * @param monthUsed requests counted this month, likewise
     */
    record Decision(Verdict verdict, long hourUsed, long monthUsed) {
    }

    /** Counts a request for {@code subject} when both its hourly and monthly counts allow it; else counts nothing. */
    Decision acquire(String subject, Plan plan, Instant now);

    /** The counts now, without counting anything. */
    Decision peek(String subject, Plan plan, Instant now);

    /**
     * One attempt at something throttled in its own fixed window (logins): the number of attempts in the window,
     * this one included, and how long until the window ends.
     */
    record Hit(long count, Duration resetIn) {
    }

    Hit hit(String subject, Duration window, Instant now);

    @Override
    void close();
}
