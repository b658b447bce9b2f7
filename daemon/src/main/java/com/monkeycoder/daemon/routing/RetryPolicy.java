package com.monkeycoder.daemon.routing;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard the gateway tries before giving up on a request: at most {@code maxAttempts} provider calls and
 * {@code maxTotal} of time across all candidates. A provider tried again waits an exponential backoff with
 * full jitter, or its {@code Retry-After} when it sent one.
 */
public record RetryPolicy(int maxAttempts, Duration maxTotal, Duration baseBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before the {@code round}-th try of a provider (round 1 is the first retry). */
    public Duration backoff(int round, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long cap = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(round - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }
}
