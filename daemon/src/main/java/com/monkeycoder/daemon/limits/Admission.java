package com.monkeycoder.daemon.limits;

import com.monkeycoder.shared.text.HumanDuration;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a request through its caller's limits before its route runs: counts it, puts the {@code RateLimit-*}
 * headers on the response (whatever the answer), and refuses with 429 and {@code Retry-After} past an hourly
 * limit, or 402 once a monthly quota is used up. A request counts on its account's tier counters and, when its
 * key has its own limits, on the key's as well: it is admitted only when both allow it.
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
     * Counts one request of an account (and of its key, when the key has its own limits) on {@code plan}, or
     * refuses it, counting it nowhere (429 beyond an hourly limit, 402 once a monthly quota is used up). Either
     * way {@code header} receives the {@code RateLimit-*} headers of the tightest counter for the response.
     *
     * @param accountSubject the account's counter ({@code user:<id>})
     * @param keySubject     the key's counter ({@code key:<id>}), used when {@code plan.perKey()}
     */
    public void admit(String accountSubject, String keySubject, Plan plan, java.util.function.BiConsumer<String, String> header) {
        Instant now = clock.instant();
        List<RateLimiter.Counter> counters = plan.counters(accountSubject, keySubject);
        RateLimiter.Decision d = limiter.acquire(counters, now);
        RateLimiter.Count binding = d.binding();
        Instant reset = Windows.hourEnd(now);
        long resetSeconds = Math.max(1, Duration.between(now, reset).toSeconds());
        long hourLimit = binding.counter().perHour();
        header.accept("RateLimit-Limit", Long.toString(hourLimit));
        header.accept("RateLimit-Remaining", Long.toString(binding.hourRemaining()));
        header.accept("RateLimit-Reset", Long.toString(resetSeconds));
        String scope = d.refused() <= 0 ? "account" : "key";
        switch (d.verdict()) {
            case ADMITTED -> {
            }
            case HOURLY_LIMIT -> {
                rejections.rateLimited();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("tier", plan.tier().wireName());
                details.put("limit", hourLimit);
                details.put("scope", scope);
                details.put("window", "hour");
                details.put("reset_at", reset.toString());
                throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "rate limit of " + hourLimit
                        + " requests per hour reached (" + (scope.equals("account") ? "the account's tier, shared by all its keys"
                        : "this key's own limit") + "); try again in " + HumanDuration.seconds(resetSeconds),
                        details, Duration.ofSeconds(resetSeconds));
            }
            case MONTHLY_QUOTA -> {
                rejections.quotaExhausted();
                Instant monthEnd = Windows.monthEnd(now);
                long quota = binding.counter().perMonth();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reason", "monthly_quota");
                details.put("tier", plan.tier().wireName());
                details.put("quota", quota);
                details.put("scope", scope);
                details.put("reset_at", monthEnd.toString());
                throw new ApiError(ErrorCode.PAYMENT_REQUIRED, "the monthly quota of " + quota + " requests"
                        + (scope.equals("account") ? "" : " of this key") + " is used up; it resets on " + monthEnd.atOffset(java.time.ZoneOffset.UTC).toLocalDate() + " (UTC)"
                        + (scope.equals("account") ? ", or move to a higher tier" : ""), details, null);
            }
        }
    }

    /**
     * The body of {@code GET /usage}, counting nothing: the hourly window and the monthly quota of the caller's
     * tightest counters (the key's own when it has overrides and less left than its account).
     */
    public Map<String, Object> usage(String accountSubject, String keySubject, Plan plan) {
        Instant now = clock.instant();
        RateLimiter.Decision d = limiter.peek(plan.counters(accountSubject, keySubject), now);
        RateLimiter.Count hour = d.tightestHour();
        RateLimiter.Count month = d.tightestMonth();
        boolean capped = month.counter().monthlyCapped();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tier", plan.tier().wireName());
        body.put("requests_used", hour.hourUsed());
        body.put("requests_limit", hour.counter().perHour());
        body.put("requests_remaining", hour.hourRemaining());
        body.put("window_reset", Windows.hourEnd(now).toString());
        body.put("monthly_used", month.monthUsed());
        body.put("monthly_limit", capped ? month.counter().perMonth() : null);
        body.put("monthly_remaining", capped ? month.monthRemaining() : null);
        body.put("monthly_reset", Windows.monthEnd(now).toString());
        return body;
    }
}
