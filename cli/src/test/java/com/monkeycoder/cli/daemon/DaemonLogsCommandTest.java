package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonLogsCommandTest {

    @TempDir
    Path home;

    @Test
    void showsTheLastLinesOfTheDaemonLog() throws Exception {
        Files.createDirectories(home.resolve("state"));
        Files.writeString(home.resolve("state/daemon.log"),
                IntStream.rangeClosed(1, 60).mapToObj(i -> "line " + i + " \u00e9").collect(Collectors.joining("\n", "", "\n")));

        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "daemon", "logs", "-n", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("line 58 \u00e9", "line 59 \u00e9", "line 60 \u00e9");
    }

    /** Lines as the daemon writes them: started, two requests (one failed), a library's warning, and an old plain line. */
    private static final List<String> JSON_LOG = List.of(
            "{\"ts\":\"2026-01-15T10:30:00.123Z\",\"level\":\"INFO\",\"event\":\"listening\",\"message\":"
                    + "\"monkey gateway listening on http://127.0.0.1:8420 (pid 42, mode local, data /d)\",\"port\":8420}",
            "{\"ts\":\"2026-01-15T10:31:02.5Z\",\"level\":\"INFO\",\"event\":\"request\",\"request_id\":\"req_1\","
                    + "\"method\":\"POST\",\"route\":\"/v1/execute\",\"status\":200,\"provider\":\"openai\","
                    + "\"model\":\"gpt-4.1-mini\",\"latency_ms\":1234.567,\"cache\":null}",
            "{\"ts\":\"2026-01-15T10:32:00Z\",\"level\":\"INFO\",\"event\":\"request\",\"request_id\":\"req_2\","
                    + "\"method\":\"POST\",\"route\":\"/v1/chat/completions\",\"status\":502,\"provider\":null,"
                    + "\"model\":null,\"latency_ms\":12.3,\"error_code\":\"LLM_ERROR\",\"error_reason\":\"upstream_auth\"}",
            "{\"ts\":\"2026-01-15T10:33:00Z\",\"level\":\"WARN\",\"event\":\"log\",\"message\":\"pool is slow\","
                    + "\"logger\":\"com.zaxxer.hikari.pool.HikariPool\"}",
            "monkey gateway listening on http://127.0.0.1:8420 (an older daemon's plain line)");

    private Map<String, String> withJsonLog() throws Exception {
        Files.createDirectories(home.resolve("state"));
        Files.writeString(home.resolve("state/daemon.log"), String.join("\n", JSON_LOG) + "\n");
        return Map.of("MONKEY_CODER_HOME", home.toString(), "TZ", "Asia/Kolkata");
    }

    @Test
    void requestLinesArePrintedForPeopleInTheLocalTimeZone() throws Exception {
        CliRun run = CliRun.run(withJsonLog(), "daemon", "logs");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        // Asia/Kolkata is UTC+05:30
        assertThat(run.outLines()).containsExactly(
                "2026-01-15 16:00:00  INFO   monkey gateway listening on http://127.0.0.1:8420 (pid 42, mode local, data /d)",
                "2026-01-15 16:01:02  200  POST /v1/execute  openai/gpt-4.1-mini  1235 ms",
                "2026-01-15 16:02:00  502  POST /v1/chat/completions  -  12 ms  LLM_ERROR (upstream_auth)",
                "2026-01-15 16:03:00  WARN   pool is slow [com.zaxxer.hikari.pool.HikariPool]",
                "monkey gateway listening on http://127.0.0.1:8420 (an older daemon's plain line)");
    }

    @Test
    void jsonPrintsTheLinesAsTheDaemonWroteThem() throws Exception {
        CliRun run = CliRun.run(withJsonLog(), "daemon", "logs", "--json", "-n", "4");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactlyElementsOf(JSON_LOG.subList(1, 5));
    }

    @Test
    void noLogYetIsAConfigurationErrorThatSaysWhy() {
        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "daemon", "logs");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: no daemon log yet at ");
    }
}
