package com.monkeycoder.daemon.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Counts requests against hourly limits and monthly quotas. A request is counted on one or more counters at once
 * (its account's, and its key's own when the key has overrides): it is admitted only when every counter allows
 * it, and then counted on every one; a refused request is counted on none. In gateway mode the counters live in
 * Redis and change in one atomic script, so N gateway instances enforce one global limit; the local daemon counts
 * in memory.
 */
public interface RateLimiter extends AutoCloseable {

    /** What became of a request: admitted, or refused by an hourly limit or a monthly quota. */
    enum Verdict { ADMITTED, HOURLY_LIMIT, MONTHLY_QUOTA }

    /**
     * One pair of counters (hour and month) and their limits.
     *
     * @param subject  what is counted ({@code user:<id>}, {@code key:<id>})
     * @param perMonth {@link Tier#NO_CAP} for no monthly cap
     */
    record Counter(String subject, long perHour, long perMonth) {

        public boolean monthlyCapped() {
            return perMonth != Tier.NO_CAP;
        }
    }

    /**
     * A counter's counts.
     *
     * @param hourUsed  requests counted in this hour, this one included when admitted
     * @param monthUsed requests counted this month, likewise
     */
    record Count(Counter counter, long hourUsed, long monthUsed) {

        public long hourRemaining() {
            return Math.max(0, counter.perHour() - hourUsed);
        }

        /** Long.MAX_VALUE when the counter has no monthly cap. */
        public long monthRemaining() {
            return counter.monthlyCapped() ? Math.max(0, counter.perMonth() - monthUsed) : Long.MAX_VALUE;
        }
    }

    /**
     * @param counts  one per counter, in the order given
     * @param refused the index of the counter that refused the request, or -1 when it was admitted
     */
    record Decision(Verdict verdict, List<Count> counts, int refused) {

        /**
         * The count the answer is about: the refusing counter's when refused, else the one with the least of its
         * hour left (what {@code RateLimit-*} shows).
         */
        public Count binding() {
            return refused >= 0 ? counts.get(refused) : tightestHour();
        }

        public Count tightestHour() {
            return counts.stream().min(Comparator.comparingLong(Count::hourRemaining)).orElseThrow();
        }

        public Count tightestMonth() {
            return counts.stream().min(Comparator.comparingLong(Count::monthRemaining)).orElseThrow();
        }
    }

    /**
     * Counts a request on every counter when all of their hourly and monthly counts allow it; else counts nothing.
     * The monthly quotas are checked before the hourly limits. On Redis every counter shares the hash tag of the
     * first (the account's), so one script can touch them all, on Redis Cluster too.
     */
    Decision acquire(List<Counter> counters, Instant now);

    /** The counts now, without counting anything. */
    Decision peek(List<Counter> counters, Instant now);

    /**
     * One attempt at something throttled in its own fixed window (logins): the number of attempts in the window,
     * this one included, and how long until the window ends.
     */
    record Hit(long count, Duration resetIn) {
    }

    Hit hit(String subject, Duration window, Instant now);

    /**
     * The attempts {@link #hit} counted in the current window, without counting one: for throttles that count only
     * failures but must refuse every attempt, right or wrong, once the failures reach their limit (MFA codes).
     */
    Hit attempts(String subject, Duration window, Instant now);

    @Override
    void close();
}
