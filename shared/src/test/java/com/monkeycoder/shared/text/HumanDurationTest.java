package com.monkeycoder.shared.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} s reads {1}")
    @CsvSource({
            "0,     0 s",
            "1,     1 s",
            "45,    45 s",
            "89,    89 s",
            "90,    2 min",
            "2609,  43 min",
            "5369,  89 min",
            "5400,  1 h 30 min",
            "7200,  2 h",
            "7500,  2 h 5 min",
            "90000, 25 h",
    })
    void secondsThenMinutesThenHoursAndMinutes(long seconds, String shown) {
        assertThat(HumanDuration.seconds(seconds)).isEqualTo(shown);
        assertThat(HumanDuration.of(Duration.ofSeconds(seconds))).isEqualTo(shown);
    }
}
