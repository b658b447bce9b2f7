package com.monkeycoder.daemon.limits;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets a request through its caller's limits before its route runs: counts it, puts the {@code RateLimit-*}
 * headers on the response (whatever the answer), and refuses with 429 and {@code Retry-After} past the hourly
 * limit, or 402 once the monthly quota is used up.
 */
public final class Admission {

    private final RateLimiter limiter;
    private final Clock clock;
    private final Rejections rejections;

    public Admission(RateLimiter limiter, Clock clock) {
        this(limiter, clock, Rejections.NONE);
    }

    public Admission(RateLimiter limiter, Clock clock, Rejections rejections) {
        this.limiter = limiter;
        this.clock = clock;
        this.rejections = rejections;
    }

    /**
     * Counts one request of {@code subject} (a key or an account) on {@code plan}, or refuses it (429 beyond the hourly limit, 402 once the monthly quota
     * is used up). Either way {@code header} receives the {@code RateLimit-*} headers for the response.
     */
    public void admit(String subject, Plan plan, java.util.function.BiConsumer<String, String> header) {
        Instant now = clock.instant();
        RateLimiter.Decision d = limiter.acquire(subject, plan, now);
        Instant reset = Windows.hourEnd(now);
        long resetSeconds = Math.max(1, Duration.between(now, reset).toSeconds());
        header.accept("RateLimit-Limit", Long.toString(plan.requestsPerHour()));
        header.accept("RateLimit-Remaining", Long.toString(Math.max(0, plan.requestsPerHour() - d.hourUsed())));
        header.accept("RateLimit-Reset", Long.toString(resetSeconds));
        switch (d.verdict()) {
            case ADMITTED -> {
            }
            case HOURLY_LIMIT -> {
                rejections.rateLimited();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("tier", plan.tier().wireName());
                details.put("limit", plan.requestsPerHour());
                details.put("window", "hour");
                details.put("reset_at", reset.toString());
                throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "rate limit of " + plan.requestsPerHour()
                        + " requests per hour reached; try again in " + resetSeconds + "s (at " + reset + ")",
                        details, Duration.ofSeconds(resetSeconds));
            }
            case MONTHLY_QUOTA -> {
                rejections.quotaExhausted();
                Instant monthEnd = Windows.monthEnd(now);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reason", "monthly_quota");
                details.put("tier", plan.tier().wireName());
                details.put("quota", plan.requestsPerMonth());
                details.put("reset_at", monthEnd.toString());
                throw new ApiError(ErrorCode.PAYMENT_REQUIRED, "the monthly quota of " + plan.requestsPerMonth()
                        + " requests is used up; it resets at " + monthEnd + ", or move to a higher tier", details, null);
            }
        }
    }

    /** The body of {@code GET /usage}: the caller's hourly window and monthly quota, counting nothing. */
    public Map<String, Object> usage(String subject, Plan plan) {
        Instant now = clock.instant();
        RateLimiter.Decision d = limiter.peek(subject, plan, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tier", plan.tier().wireName());
        body.put("requests_used", d.hourUsed());
        body.put("requests_limit", plan.requestsPerHour());
        body.put("requests_remaining", Math.max(0, plan.requestsPerHour() - d.hourUsed()));
        body.put("window_reset", Windows.hourEnd(now).toString());
        body.put("monthly_used", d.monthUsed());
        body.put("monthly_limit", plan.monthlyCapped() ? plan.requestsPerMonth() : null);
        body.put("monthly_remaining", plan.monthlyCapped() ? Math.max(0, plan.requestsPerMonth() - d.monthUsed()) : null);
        body.put("monthly_reset", Windows.monthEnd(now).toString());
        return body;
    }
}
