package com.monkeycoder.daemon.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the router knows of each provider's recent behaviour: its circuit breaker, an exponentially weighted
 * average of its time to first token, and of its error rate. Shared by all requests of one gateway.
 */
public final class HealthBoard {

    /** Weight of the newest sample in the moving averages. */
    private static final double ALPHA = 0.2;

    /** One provider's record. */
    public static final class ProviderHealth {
        private final CircuitBreaker breaker;
        private double latencyMs = -1;
        private double errorRate;
        private java.time.Instant lastFailure = java.time.Instant.MIN;

        ProviderHealth(CircuitBreaker breaker) {
            this.breaker = breaker;
        }

        public CircuitBreaker breaker() {
            return breaker;
        }

        /** Moving average of time to first token, or -1 before the first success. */
        public synchronized double latencyMs() {
            return latencyMs;
        }

        public synchronized double errorRate() {
            return errorRate;
        }

        synchronized void success(long firstTokenMs) {
            latencyMs = latencyMs < 0 ? firstTokenMs : ALPHA * firstTokenMs + (1 - ALPHA) * latencyMs;
            errorRate = (1 - ALPHA) * errorRate;
        }

        synchronized void failure(java.time.Instant now) {
            lastFailure = now;
            errorRate = ALPHA + (1 - ALPHA) * errorRate;
        }
    }

    private final int breakerThreshold;
    private final Duration breakerCooldown;
    private final Clock clock;
    private final Map<String, ProviderHealth> byProvider = new ConcurrentHashMap<>();

    public HealthBoard(int breakerThreshold, Duration breakerCooldown, Clock clock) {
        this.breakerThreshold = breakerThreshold;
        this.breakerCooldown = breakerCooldown;
        this.clock = clock;
    }

    public ProviderHealth of(String provider) {
        return byProvider.computeIfAbsent(provider,
                p -> new ProviderHealth(new CircuitBreaker(breakerThreshold, breakerCooldown, clock)));
    }

    /** Each provider's breaker state now, for metrics. */
    public Map<String, CircuitBreaker.State> breakerStates() {
        Map<String, CircuitBreaker.State> states = new TreeMap<>();
        byProvider.forEach((provider, health) -> states.put(provider, health.breaker().state()));
        return states;
    }

    public void success(String provider, long firstTokenMs) {
        ProviderHealth health = of(provider);
        health.breaker().onSuccess();
        health.success(firstTokenMs);
    }

    public void failure(String provider) {
        ProviderHealth health = of(provider);
        health.breaker().onFailure();
        health.failure(clock.instant());
    }

    /**
     * Whether a provider failing lately should go behind the others. Its error rate only moves when it is called,
     * so a demoted provider would never be called again and never recover: demotion lasts one breaker cooldown
     * after its last failure, then it gets its place back (and its next call decides again).
     */
    public boolean demoted(String provider) {
        ProviderHealth h = of(provider);
        synchronized (h) {
            return h.errorRate >= 0.5 && h.lastFailure.plus(breakerCooldown).isAfter(clock.instant());
        }
    }
}
