package com.monkeycoder.cli.commands;

import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.cli.ExitCodes;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's "done when", through the real command: with two fake providers where the first fails, implement
 * succeeds through the second and says so with --verbose; the same deterministic request again is a cache hit
 * with no upstream call, also after the gateway restarts.
 */
class FailoverAndCacheCommandTest {

    @TempDir
    Path home;

    private MockWebServer groq;
    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        groq = new MockWebServer();
        openai = new MockWebServer();
        groq.start();
        openai.start();
        Files.createDirectories(home.resolve("config"));
        // implement asks for code_generation, whose model class is strong_coding: Groq first, then OpenAI.
        Files.writeString(home.resolve("config/config.json"), """
                {"routing": {"classes": {"strong_coding": ["groq/llama-3.3-70b-versatile", "openai/gpt-4.1-mini"]}}}""");
        gateway = startGateway();
    }

    private TestGateway startGateway() {
        return TestGateway.start(home, Map.of(
                "GROQ_API_KEY", "gsk-test", "GROQ_BASE_URL", groq.url("/openai/v1").toString(),
                "OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "MONKEY_CODER_MAX_ATTEMPTS", "3"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        groq.shutdown();
        openai.shutdown();
    }

    @Test
    void failsOverToTheSecondProviderSaysSoThenAnswersFromCacheAlsoAfterARestart() {
        groq.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"over capacity\"}}"));
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        CliRun first = CliRun.run(CliRun.remoteEnv(gateway), "implement", "--verbose", "--temperature", "0", "say hello");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("Monkeys write code one banana at a time.\n");
        assertThat(first.err()).contains("monkey: openai/gpt-4.1-mini")
                .contains("route: groq/llama-3.3-70b-versatile upstream error 503")
                .contains("→ openai/gpt-4.1-mini ok");

        CliRun second = CliRun.run(CliRun.remoteEnv(gateway), "implement", "--verbose", "--temperature", "0", "say hello");

        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).contains("from the gateway's cache");
        assertThat(groq.getRequestCount()).isEqualTo(1);
        assertThat(openai.getRequestCount()).isEqualTo(1);

        gateway.close();
        gateway = startGateway();
        CliRun afterRestart = CliRun.run(CliRun.remoteEnv(gateway), "implement", "--verbose", "--temperature", "0", "say hello");

        assertThat(afterRestart.exitCode()).isZero();
        assertThat(afterRestart.out()).isEqualTo(first.out());
        assertThat(afterRestart.err()).contains("from the gateway's cache");
        assertThat(groq.getRequestCount() + openai.getRequestCount()).as("no upstream call after the restart").isEqualTo(2);
    }

    @Test
    void whenEveryProviderFailsVerboseListsEachAttemptOnItsOwnLine() {
        groq.setDispatcher(always(new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"over capacity\"}}")));
        openai.setDispatcher(always(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}")));

        CliRun plain = CliRun.run(CliRun.remoteEnv(gateway), "implement", "say hello");
        CliRun verbose = CliRun.run(CliRun.remoteEnv(gateway), "implement", "-v", "say hello");

        assertThat(plain.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(plain.out()).isEmpty();
        assertThat(plain.errLines()).singleElement().asString().startsWith("monkey: ")
                .endsWith("attempts; --verbose lists them)").doesNotContain("details.attempts");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(verbose.out()).isEmpty();
        List<String> lines = verbose.errLines();
        assertThat(lines.getFirst()).isEqualTo(plain.errLines().getFirst());
        assertThat(lines.subList(1, lines.size())).hasSize(3).allSatisfy(line -> assertThat(line)
                .matches("monkey:   attempt [1-3]: (groq/llama-3\\.3-70b-versatile · upstream error · HTTP 503"
                        + "|openai/gpt-4\\.1-mini · upstream error · HTTP 500) · \\d+ ms"));
        assertThat(lines.get(1)).startsWith("monkey:   attempt 1: groq/llama-3.3-70b-versatile");
        assertThat(String.join("\n", lines)).contains("openai/gpt-4.1-mini · upstream error · HTTP 500");
    }

    private static Dispatcher always(MockResponse response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        };
    }

    @Test
    void aTemperatureOutOfRangeIsAUsageError() {
        CliRun run = CliRun.run(CliRun.remoteEnv(gateway), "implement", "--temperature", "3", "say hello");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("monkey: --temperature must be between 0 and 2");
    }
}
