package com.monkeycoder.daemon.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics}, the overhead header and the request log, on a real gateway with a fake OpenAI upstream. */
class ObservabilityTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-0000";
    private static final String PROMPT = "please refactor the banana-secret-prompt module";
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? (\\S+)$");
    private static final String CHAT = "/v1/chat/completions";
    private static final String CHAT_BODY = """
            {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"%s"}]%s}""";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
    }

    private void startGateway(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env.putAll(extra);
        gateway = TestGateway.startLogging(home, env, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        openai.shutdown();
    }

    @Test
    void metricsAreValidPrometheusTextWithoutAKey() {
        startGateway(Map.of());
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));
        assertThat(gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, ",\"stream\":true")).statusCode()).isEqualTo(200);
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        List<String> lines = response.body().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).allSatisfy(line -> {
            if (line.startsWith("#")) {
                assertThat(line).matches("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
            } else {
                assertThat(line).matches(SAMPLE);
            }
        });
        assertThat(response.body())
                .contains("# TYPE monkey_requests_total counter")
                .contains("# TYPE monkey_gateway_overhead_seconds histogram")
                .contains("# TYPE monkey_request_duration_seconds histogram")
                .contains("# TYPE monkey_upstream_duration_seconds histogram")
                .contains("# TYPE monkey_time_to_first_token_seconds histogram")
                .contains("monkey_requests_in_flight ")
                .contains("monkey_ledger_queue_depth 0")
                .contains("monkey_cache_requests_total{result=\"hit\"} 0")
                .contains("monkey_rate_limit_rejections_total 0")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void countersMoveWithRequestsByRouteStatusProviderAndModel() {
        startGateway(Map.of());
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        String requests = "monkey_requests_total{model=\"gpt-4.1-mini\",provider=\"openai\",route=\"/v1/chat/completions\",status=\"200\"}";
        String input = "monkey_tokens_total{direction=\"input\",model=\"gpt-4.1-mini\",provider=\"openai\"}";
        String output = "monkey_tokens_total{direction=\"output\",model=\"gpt-4.1-mini\",provider=\"openai\"}";
        String cost = "monkey_cost_microdollars_total{model=\"gpt-4.1-mini\",provider=\"openai\"}";

        assertThat(gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, "")).statusCode()).isEqualTo(200);
        String first = scrapeUntil(text -> value(text, requests) == 1);
        assertThat(gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, "")).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/execute", "{}", Map.of()).statusCode()).isEqualTo(401);
        String second = scrapeUntil(text -> value(text,
                "monkey_requests_total{model=\"none\",provider=\"none\",route=\"/v1/execute\",status=\"401\"}") == 1);

        assertThat(value(first, requests)).isEqualTo(1);
        assertThat(value(second, requests)).isEqualTo(2);
        // The fixture reports 27 prompt and 14 completion tokens.
        assertThat(value(second, input)).isEqualTo(54);
        assertThat(value(second, output)).isEqualTo(28);
        assertThat(value(second, cost)).isGreaterThan(value(first, cost)).isPositive();
        assertThat(value(second, "monkey_requests_total{model=\"none\",provider=\"none\",route=\"/v1/execute\",status=\"401\"}"))
                .isEqualTo(1);
        assertThat(value(second, "monkey_gateway_overhead_seconds_count{route=\"/v1/chat/completions\"}")).isEqualTo(2);
        assertThat(value(second, "monkey_upstream_duration_seconds_count{provider=\"openai\"}")).isEqualTo(2);
        assertThat(value(second, "monkey_ledger_rows_committed_total")).isEqualTo(2);
        assertThat(value(second, "monkey_ledger_commit_duration_seconds_count")).isPositive();
        assertThat(second).contains("monkey_circuit_breaker_state{provider=\"openai\",state=\"closed\"} 1");
        assertThat(second).doesNotContain(TestGateway.KEY).doesNotContain(UPSTREAM_KEY).doesNotContain("banana-secret");
    }

    @Test
    void aPathNobodyRoutesIsCountedAsUnmatchedNotByItsPath() {
        startGateway(Map.of());
        assertThat(gateway.get("/v1/no-such-route-" + TestGateway.KEY).statusCode()).isEqualTo(404);

        assertThat(scrapeUntil(text -> text.contains("route=\"unmatched\",status=\"404\"")))
                .contains("route=\"unmatched\",status=\"404\"").doesNotContain("no-such-route");
    }

    @Test
    void everyResponseSaysTheGatewaysOwnTimeInMilliseconds() {
        startGateway(Map.of());
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        HttpResponse<String> json = gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, ""));
        HttpResponse<String> stream = gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, ",\"stream\":true"));
        HttpResponse<String> refused = gateway.post("/v1/execute", "{}", Map.of());

        for (HttpResponse<String> response : List.of(json, stream, refused)) {
            String overhead = response.headers().firstValue("X-Monkey-Overhead-Ms").orElseThrow();
            assertThat(overhead).matches("\\d+\\.\\d{3}");
            assertThat(Double.parseDouble(overhead)).isNotNegative();
        }
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(value(scrape(), "monkey_time_to_first_token_seconds_count{provider=\"openai\"}")).isEqualTo(1);
    }

    @Test
    void oneJsonLinePerRequestWithItsFieldsAndNoSecrets() {
        startGateway(Map.of());
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        HttpResponse<String> response = gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, ""));
        gateway.get("/health");
        gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET().build());
        List<JsonNode> lines = awaitLogLines(1);
        assertThat(lines).hasSize(1); // probes and scrapes get no line
        JsonNode line = lines.getFirst();
        assertThat(line.path("request_id").asText()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(line.path("key_id").asText()).isEqualTo("local");
        assertThat(line.path("route").asText()).isEqualTo(CHAT);
        assertThat(line.path("method").asText()).isEqualTo("POST");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("provider").asText()).isEqualTo("openai");
        assertThat(line.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(line.path("prompt_tokens").asLong()).isEqualTo(27);
        assertThat(line.path("completion_tokens").asLong()).isEqualTo(14);
        assertThat(line.path("cost_micros").asLong()).isPositive();
        assertThat(line.path("latency_ms").isNumber()).isTrue();
        assertThat(line.path("upstream_ms").isNumber()).isTrue();
        assertThat(line.path("overhead_ms").asDouble())
                .isEqualTo(Double.parseDouble(response.headers().firstValue("X-Monkey-Overhead-Ms").orElseThrow()));
        assertThat(line.has("cache")).isTrue();
        assertThat(line.has("prompt")).isFalse();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(TestGateway.KEY).doesNotContain(UPSTREAM_KEY).doesNotContain("banana-secret");
    }

    @Test
    void promptsAreLoggedOnlyWhenPromptLoggingIsOn() {
        startGateway(Map.of("MONKEY_CODER_LOG_PROMPTS", "true"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        gateway.post(CHAT, CHAT_BODY.formatted(PROMPT, ""));
        JsonNode line = awaitLogLines(1).getFirst();
        assertThat(line.path("prompt").findValuesAsText("content")).contains(PROMPT);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(TestGateway.KEY).doesNotContain(UPSTREAM_KEY);
    }

    /**
     * The log lines once there are {@code count}: a request's line is written after its response has gone out
     * (it carries the total latency), so a client can read the answer before the line exists.
     */
    private List<JsonNode> awaitLogLines(int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            gateway.gateway().requestLog().flush();
            List<JsonNode> lines = logLines();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.onSpinWait();
        }
    }

    private List<JsonNode> logLines() {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{"))
                .map(TestGateway::parse).toList();
    }

    /**
     * A scrape once it shows what the test waits for (or the last one after 10 s): a request is counted after its
     * response has gone out, so the client can read the answer a moment before the counters move.
     */
    private String scrapeUntil(java.util.function.Predicate<String> ready) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String text = scrape();
        while (!shows(ready, text) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            text = scrape();
        }
        return text;
    }

    private static boolean shows(java.util.function.Predicate<String> ready, String text) {
        try {
            return ready.test(text);
        } catch (AssertionError notYetThere) {
            return false;
        }
    }

    private String scrape() {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET().build()).body();
    }

    /** The value of one sample, by its exact name and labels (as the client library orders them). */
    private static double value(String text, String series) {
        return Arrays.stream(text.split("\n"))
                .filter(l -> l.startsWith(series + " "))
                .map(l -> {
                    Matcher m = SAMPLE.matcher(l);
                    assertThat(m.matches()).as(l).isTrue();
                    return Double.parseDouble(m.group(3));
                })
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in:\n" + text));
    }
}
