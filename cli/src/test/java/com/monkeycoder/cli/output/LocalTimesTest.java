package com.monkeycoder.cli.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTimesTest {

    @ParameterizedTest(name = "TZ={0}")
    @CsvSource({
            "Europe/Paris,   2026-10-30 18:09 CET,  18:09 CET",
            ":Europe/Paris,  2026-10-30 18:09 CET,  18:09 CET",
            "Asia/Kolkata,   2026-10-30 22:39 IST,  22:39 IST",
            "UTC,            2026-10-30 17:09 UTC,  17:09 UTC",
            "America/New_York, 2026-10-30 13:09 EDT, 13:09 EDT",
    })
    void instantsAreShownToTheMinuteInTheZoneTzNames(String tz, String minute, String timeOfDay) {
        LocalTimes times = LocalTimes.forTz(tz);

        assertThat(times.minute("2026-10-30T17:09:47.638171968Z")).isEqualTo(minute);
        assertThat(times.timeOfDay("2026-10-30T17:09:47.638171968Z")).isEqualTo(timeOfDay);
    }

    @Test
    void withoutTzOrWithOneJavaDoesNotKnowItIsTheSystemsZone() {
        assertThat(LocalTimes.forTz(null).minute("2026-10-30T17:09:00Z"))
                .isEqualTo(new LocalTimes(ZoneId.systemDefault()).minute("2026-10-30T17:09:00Z"));
        assertThat(LocalTimes.forTz("CET-1CEST").minute("2026-10-30T17:09:00Z"))
                .isEqualTo(new LocalTimes(ZoneId.systemDefault()).minute("2026-10-30T17:09:00Z"));
    }

    @Test
    void textThatIsNotAnInstantIsLeftAsItIs() {
        assertThat(LocalTimes.forTz("UTC").minute("soon")).isEqualTo("soon");
        assertThat(LocalTimes.forTz("UTC").minute(null)).isNull();
    }
}
