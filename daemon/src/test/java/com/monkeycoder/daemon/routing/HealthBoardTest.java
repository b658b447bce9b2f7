package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HealthBoardTest {

    @Test
    void aDemotedProviderGetsItsPlaceBackOneCooldownAfterItsLastFailure() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        HealthBoard board = new HealthBoard(100, Duration.ofSeconds(30), clock);
        for (int i = 0; i < 4; i++) {
            board.failure("groq");
        }
        assertThat(board.demoted("groq")).isTrue();
        assertThat(board.demoted("openai")).isFalse();

        clock.advance(Duration.ofSeconds(31));

        assertThat(board.demoted("groq")).as("not called since, yet no longer demoted").isFalse();
    }
}
