package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.DaemonLauncher;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey daemon run --mode gateway} refuses to start, with exit code 3 and a fix-it line, when its stores are not set or not there. */
class GatewayModeStartTest {

    @TempDir
    Path home;

    private record Run(int code, String err) {
    }

    private Run run(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", home.toString());
        env.putAll(extra);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DaemonLauncher().runForeground(env, 0, "gateway", new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutItsThreeVariablesItNamesEachAndExits3() {
        Run r = run(Map.of());

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).hasLineCount(1);
        JsonNode line = TestGateway.parse(r.err());
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("event").asText()).isEqualTo("start_failed");
        assertThat(line.path("exit_code").asInt()).isEqualTo(3);
        assertThat(line.path("message").asText()).startsWith("gateway mode needs").contains("DATABASE_URL")
                .contains("REDIS_URL").contains("MONKEY_CODER_SECRET");
    }

    @Test
    void aShortSecretIsRefused() {
        Run r = run(Map.of("DATABASE_URL", "postgres://127.0.0.1/test", "REDIS_URL", "redis://127.0.0.1:6379",
                "MONKEY_CODER_SECRET", "too-short"));

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("MONKEY_CODER_SECRET is too short");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsRefusedNamingTheVariable() {
        Run r = run(Map.of("DATABASE_URL", "postgres://nobody:secret-pw@127.0.0.1:9/test", "REDIS_URL", "redis://127.0.0.1:6379",
                "MONKEY_CODER_SECRET", SharedStores.SECRET, "MONKEY_CODER_DATABASE_CONNECT_TIMEOUT", "0"));

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("DATABASE_URL").doesNotContain("secret-pw");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsRetriedForTheConnectTimeoutThenRefused() {
        long start = System.nanoTime();
        Run r = run(Map.of("DATABASE_URL", "postgres://nobody:secret-pw@127.0.0.1:9/test", "REDIS_URL", "redis://127.0.0.1:6379",
                "MONKEY_CODER_SECRET", SharedStores.SECRET, "MONKEY_CODER_DATABASE_CONNECT_TIMEOUT", "2"));
        long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(r.code()).isEqualTo(3);
        assertThat(ms).as("retried for about the timeout, no longer").isBetween(2_000L, 12_000L);
        JsonNode line = TestGateway.parse(r.err().lines().filter(l -> l.contains("start_failed")).findFirst().orElseThrow());
        assertThat(line.path("message").asText()).contains("DATABASE_URL").containsPattern("\\d+ attempts?, retried for up to 2 s")
                .doesNotContain("secret-pw");
        assertThat(r.err()).doesNotContain("secret-pw");
    }

    @Test
    void aRedisThatDoesNotAnswerIsRefusedNamingTheVariable() {
        Run r = run(Map.of("DATABASE_URL", "jdbc:sqlite:" + home.resolve("g.db"), "REDIS_URL", "redis://127.0.0.1:9",
                "MONKEY_CODER_SECRET", SharedStores.SECRET));

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("cannot reach Redis").contains("REDIS_URL");
    }
}
