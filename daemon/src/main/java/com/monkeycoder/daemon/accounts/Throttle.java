package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.limits.RateLimiter;
import com.monkeycoder.shared.text.HumanDuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A count of attempts per subject and window in the shared limiter, so N instances throttle as one. */
record Throttle(RateLimiter limiter, Clock clock) {

    /** Counts one attempt; 429 with {@code reason} and Retry-After once {@code subject} had {@code limit}. */
    void check(String subject, int limit, Duration window, String reason) {
        RateLimiter.Hit hit = limiter.hit(subject, window, clock.instant());
        if (hit.count() > limit) {
            long seconds = Math.max(1, hit.resetIn().toSeconds());
            throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "too many attempts; try again in "
                    + HumanDuration.seconds(seconds), Map.of("reason", reason), Duration.ofSeconds(seconds));
        }
    }
}
