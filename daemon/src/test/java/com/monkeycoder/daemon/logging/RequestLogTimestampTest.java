package com.monkeycoder.daemon.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The request log's {@code ts} is UTC to the millisecond, three digits always, as the README's example line shows. */
class RequestLogTimestampTest {

    @ParameterizedTest(name = "{0} is logged as {1}")
    @CsvSource({
            "2026-11-23T02:09:31.071234567Z, 2026-11-23T02:09:31.071Z",
            "2026-11-23T02:09:31Z,           2026-11-23T02:09:31.000Z",
            "2026-11-23T02:09:31.5Z,         2026-11-23T02:09:31.500Z",
            "2026-11-23T02:09:31.999999Z,    2026-11-23T02:09:31.999Z",
    })
    void timestampsAreMillisecondsInUtc(String at, String logged) {
        assertThat(RequestLog.timestamp(Instant.parse(at))).isEqualTo(logged);
    }

    @Test
    void theReadmesExampleLineHasTheSameForm() throws IOException {
        Matcher example = Pattern.compile("\\{\"ts\":\"([^\"]+)\",\"level\":\"INFO\",\"event\":\"request\"")
                .matcher(Files.readString(Path.of("..", "README.md")));

        assertThat(example.find()).as("README.md shows a request log line").isTrue();
        assertThat(RequestLog.timestamp(Instant.parse(example.group(1)))).isEqualTo(example.group(1));
    }
}
