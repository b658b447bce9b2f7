package com.monkeycoder.daemon.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One provider's circuit breaker: after {@code threshold} failures in a row it opens and the router skips the
 * provider; after {@code cooldown} it lets one probe through (half open); the probe's success closes it, its
 * failure opens it again. Time comes from an injected clock, so tests move it without sleeping.
 */
public final class CircuitBreaker {

    /** The three states, as {@code GET /v1/providers} shows them. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int threshold;
    private final Duration cooldown;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private boolean probeInFlight;

    public CircuitBreaker(int threshold, Duration cooldown, Clock clock) {
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** Whether a call may go to the provider now; in half-open state only one caller gets a yes. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED -> {
                return true;
            }
            case OPEN -> {
                if (clock.instant().isBefore(openedAt.plus(cooldown))) {
                    return false;
                }
                state = State.HALF_OPEN;
                probeInFlight = true;
                return true;
            }
            default -> {
                if (probeInFlight) {
                    return false;
                }
                probeInFlight = true;
                return true;
            }
        }
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    /**
     * The call never reached the provider (the request was refused on the gateway's side, e.g. an image URL the
     * gateway would not fetch): no verdict on the provider, but a half-open probe slot is free again.
     */
    public synchronized void release() {
        probeInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
        probeInFlight = false;
    }

    /** The state as a reader sees it now (an open breaker past its cooldown reads as half open). */
    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(cooldown))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** When an open breaker lets its next probe through. */
    public synchronized Instant reopensAt() {
        return state == State.OPEN ? openedAt.plus(cooldown) : clock.instant();
    }
}
