package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    @Test
    void aHalfOpenProbeRefusedBeforeTheProviderWasAskedFreesItsSlotWithoutAVerdict() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(30), clock);
        breaker.onFailure();
        clock.advance(Duration.ofSeconds(31));
        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.tryAcquire()).as("a second caller while the probe is out").isFalse();

        breaker.release(); // e.g. the request's image URL was refused: the provider was never called

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("the next request may probe").isTrue();
    }
}
