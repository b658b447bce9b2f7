package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey implement} through a real gateway: the offline demo and a fake OpenAI upstream. */
class ImplementCommandTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-implement-0000";
    /** The content of chat-completion-stream.txt's deltas, joined. */
    private static final String FIXTURE_TEXT = "Monkeys write code one banana at a time.";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void demoStreamsItsAnswerToStdoutAndNothingToStderr() {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "create a REST API");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo").contains("create a REST API").endsWith("\n");
        assertThat(run.err()).isEmpty();
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void demoWithoutStreamingPrintsTheSameText() {
        CliRun streamed = CliRun.run(env, "implement", "--provider", "demo", "create a REST API");
        CliRun whole = CliRun.run(env, "implement", "--provider", "demo", "--no-stream", "create a REST API");

        assertThat(whole.exitCode()).isZero();
        assertThat(whole.err()).isEmpty();
        assertThat(whole.out()).contains("Monkey Coder offline demo").isEqualTo(streamed.out());
    }

    @Test
    void jsonPrintsOneDocumentWithContentProviderAndUsage() throws Exception {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "--json", "create a REST API");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode doc = Json.mapper().readerFor(JsonNode.class)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(run.out());
        assertThat(doc.path("content").asText()).contains("Monkey Coder offline demo");
        assertThat(doc.path("provider_used").asText()).isEqualTo("demo");
        assertThat(doc.path("model_used").asText()).isEqualTo("monkey-demo");
        assertThat(doc.path("usage").path("completion_tokens").asLong()).isPositive();
        assertThat(doc.path("usage").has("total_tokens")).isTrue();
        assertThat(doc.path("request_id").asText()).isNotBlank();
    }

    @Test
    void verboseAddsOneStderrLineNamingTheModelAndTheRequestId() throws Exception {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "--verbose", "create a REST API");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo");
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: demo/monkey-demo");
        Matcher id = Pattern.compile("· (\\S+)$").matcher(run.errLines().getFirst());
        assertThat(id.find()).as("a request id ends the line: %s", run.err()).isTrue();
        assertThat(gateway.gateway().ledger().count(id.group(1))).as("ledger rows for %s", id.group(1)).isEqualTo(1);
    }

    @Test
    void openAiStreamReachesStdoutExactly() throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "say hello");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(FIXTURE_TEXT + "\n");
        assertThat(run.err()).isEmpty();
        RecordedRequest upstream = openai.takeRequest(1, TimeUnit.SECONDS);
        assertThat(upstream).isNotNull();
        assertThat(upstream.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(upstream.getHeader("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(run.allOutput()).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void multiByteTextArrivesIntact() {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-unicode.txt"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "say hello");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Café crème — 世界 🐵 é🚀\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--model openai/gpt-4.1-mini", "--provider openai --model gpt-4.1-mini"})
    void modelFlagsReachTheUpstreamAsItsOwnModelName(String flags) throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));
        String[] args = ("implement " + flags + " say-hello").split(" ");

        CliRun run = CliRun.run(env, args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(FIXTURE_TEXT + "\n");
        RecordedRequest upstream = openai.takeRequest(1, TimeUnit.SECONDS);
        assertThat(upstream).isNotNull();
        JsonNode sent = TestGateway.parse(upstream.getBody().readUtf8());
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("messages").path(sent.path("messages").size() - 1).path("content").asText())
                .isEqualTo("say-hello");
    }

    @Test
    void wordsOfTheTaskAreJoinedIntoOnePrompt() throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "write", "a", "CSV parser");

        assertThat(run.exitCode()).isZero();
        JsonNode sent = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.path("messages").path(sent.path("messages").size() - 1).path("content").asText())
                .isEqualTo("write a CSV parser");
    }
}
