package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same conversation through every ingress (native, OpenAI, Anthropic) against every wire format (OpenAI,
 * Anthropic, Gemini), whole and streamed. Each fake replays its provider's documented bytes; the expected text,
 * token counts and costs below are worked out by hand from those fixtures and the catalog's prices, so any
 * drift in parsing, mapping or pricing shows up here.
 */
class CrossFormatGoldenTest {

    /** What a fixture must come out as, whatever the ingress. */
    record Golden(String model, String fixture, boolean stream, String text, long prompt, long completion,
                  long cacheRead, long cacheWrite, long costMicros) {

        long allInput() {
            return prompt + cacheRead + cacheWrite;
        }
    }

    private static final List<Golden> GOLDENS = List.of(
            // gpt-4.1-mini: $0.40 in, $1.60 out, $0.10 cached. 27 in -> 11, 14 out -> 22.
            new Golden("openai/gpt-4.1-mini", "openai/chat-completion.json", false,
                    "Monkeys write code one banana at a time.\n\nWant an example?", 27, 14, 0, 0, 33),
            // 24 in -> 9.6 -> 10, 9 out -> 14.4 -> 14.
            new Golden("openai/gpt-4.1-mini", "openai/chat-completion-stream.txt", true,
                    "Monkeys write code one banana at a time.", 24, 9, 0, 0, 24),
            // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write.
            // 34 in -> 102, 19 out -> 285, 2048 read -> 614.4 -> 614.
            new Golden("anthropic/claude-sonnet-4-5", "anthropic/message.json", false,
                    "Here is the function:\n\ndef add(a, b):\n    return a + b", 34, 19, 2048, 0, 1001),
            // 21 in -> 63, 15 out -> 225, 30000 read -> 9000, 1800 write -> 6750.
            new Golden("anthropic/claude-sonnet-4-5", "anthropic/stream.sse", true,
                    "Hello, monkey!", 21, 15, 30000, 1800, 16038),
            // gemini-2.5-flash: $0.30 in, $2.50 out (thinking included), $0.03 cached.
            // 2060 prompt of which 2048 cached: 12 in -> 3.6 -> 4; 13 + 268 thoughts = 281 out -> 702.5 -> 703;
            // 2048 cached -> 61.44 -> 61.
            new Golden("google/gemini-2.5-flash", "gemini/generate-content.json", false,
                    "AI learns patterns from data and uses them to make predictions.", 12, 281, 2048, 0, 768),
            // 8 in -> 2.4 -> 2; 14 + 430 thoughts = 444 out -> 1110.
            new Golden("google/gemini-2.5-flash", "gemini/stream.sse", true,
                    "AI learns patterns from examples instead of following fixed rules.", 8, 444, 0, 0, 1112));

    @TempDir
    static Path home;

    private static MockWebServer openai;
    private static MockWebServer anthropic;
    private static MockWebServer google;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        openai = new MockWebServer();
        anthropic = new MockWebServer();
        google = new MockWebServer();
        openai.start();
        anthropic.start();
        google.start();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-openai", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", root(anthropic),
                "GOOGLE_API_KEY", "google-test-key", "GOOGLE_BASE_URL", root(google)));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        anthropic.shutdown();
        google.shutdown();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String ingress : List.of("execute", "chat_completions", "messages")) {
            for (Golden g : GOLDENS) {
                cases.add(Arguments.of(ingress, g));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("cases")
    void everyIngressServesEveryWireFormatWithExactTextTokensAndCost(String ingress, Golden g) throws Exception {
        upstream(g.model()).enqueue(g.stream() ? WireFixtures.sse(g.fixture()) : WireFixtures.json(g.fixture()));

        HttpResponse<String> response = switch (ingress) {
            case "execute" -> gateway.post("/v1/execute", """
                    {"prompt":"hello","model":"%s","stream":%s}""".formatted(g.model(), g.stream()));
            case "chat_completions" -> gateway.post("/v1/chat/completions", """
                    {"model":"%s","messages":[{"role":"user","content":"hello"}],"stream":%s,
                     "stream_options":{"include_usage":%s}}""".formatted(g.model(), g.stream(), g.stream()));
            default -> gateway.post("/v1/messages", """
                    {"model":"%s","max_tokens":512,"messages":[{"role":"user","content":"hello"}],"stream":%s}"""
                    .formatted(g.model(), g.stream()));
        };

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Answer answer = switch (ingress) {
            case "execute" -> g.stream() ? executeStream(response) : execute(TestGateway.json(response));
            case "chat_completions" -> g.stream() ? chatStream(response) : chat(TestGateway.json(response));
            default -> g.stream() ? messagesStream(response) : messages(TestGateway.json(response));
        };
        assertThat(answer.text()).isEqualTo(g.text());
        assertThat(answer.finish()).isEqualTo(switch (ingress) {
            case "messages" -> "end_turn";
            default -> "stop";
        });
        assertThat(answer.usage()).isEqualTo(expectedUsage(ingress, g));

        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        LedgerRow row = gateway.gateway().ledger().find(requestId).orElseThrow();
        assertThat(row.model()).isEqualTo(g.model().substring(g.model().indexOf('/') + 1));
        assertThat(row.promptTokens()).isEqualTo(g.prompt());
        assertThat(row.completionTokens()).isEqualTo(g.completion());
        assertThat(row.cacheReadTokens()).isEqualTo(g.cacheRead());
        assertThat(row.cacheWriteTokens()).isEqualTo(g.cacheWrite());
        assertThat(row.costMicros()).isEqualTo(g.costMicros());
        assertThat(row.estimated()).isFalse();
        assertThat(row.status()).isEqualTo("ok");
    }

    /** Usage as each ingress states it: OpenAI and ours count cached input inside prompt tokens, Anthropic apart. */
    private static List<Long> expectedUsage(String ingress, Golden g) {
        return switch (ingress) {
            case "execute" -> List.of(g.allInput(), g.completion(), g.cacheRead(), g.cacheWrite(), g.costMicros());
            case "chat_completions" -> List.of(g.allInput(), g.completion(), g.cacheRead());
            default -> List.of(g.prompt(), g.completion(), g.cacheRead(), g.cacheWrite());
        };
    }

    record Answer(String text, String finish, List<Long> usage) {
    }

    private static Answer execute(JsonNode body) {
        return new Answer(body.path("content").asText(), body.path("finish_reason").asText(), executeUsage(body.path("usage")));
    }

    private static Answer executeStream(HttpResponse<String> response) throws IOException {
        StringBuilder text = new StringBuilder();
        JsonNode done = null;
        for (SseEvent e : TestGateway.events(response.body())) {
            switch (e.event()) {
                case "delta" -> text.append(TestGateway.parse(e.data()).path("content").asText());
                case "done" -> done = TestGateway.parse(e.data());
                default -> assertThat(e.event()).isEqualTo("start");
            }
        }
        assertThat(done).as("a done event").isNotNull();
        return new Answer(text.toString(), done.path("finish_reason").asText(), executeUsage(done.path("usage")));
    }

    private static List<Long> executeUsage(JsonNode u) {
        return List.of(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(), u.path("cached_tokens").asLong(),
                u.path("cache_write_tokens").asLong(), Math.round(u.path("cost_usd").asDouble() * 1_000_000));
    }

    private static Answer chat(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        return new Answer(choice.path("message").path("content").asText(), choice.path("finish_reason").asText(),
                chatUsage(body.path("usage")));
    }

    private static Answer chatStream(HttpResponse<String> response) throws IOException {
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        for (SseEvent e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = TestGateway.parse(e.data());
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            JsonNode choice = chunk.path("choices").path(0);
            text.append(choice.path("delta").path("content").asText(""));
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.path("finish_reason").asText();
            }
            if (chunk.hasNonNull("usage")) {
                assertThat(chunk.path("choices")).isEmpty();
                usage = chunk.path("usage");
            }
        }
        assertThat(usage).as("a usage chunk").isNotNull();
        return new Answer(text.toString(), finish, chatUsage(usage));
    }

    private static List<Long> chatUsage(JsonNode u) {
        assertThat(u.path("total_tokens").asLong()).isEqualTo(u.path("prompt_tokens").asLong() + u.path("completion_tokens").asLong());
        return List.of(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("prompt_tokens_details").path("cached_tokens").asLong());
    }

    private static Answer messages(JsonNode body) {
        assertThat(body.path("type").asText()).isEqualTo("message");
        StringBuilder text = new StringBuilder();
        body.path("content").forEach(block -> text.append(block.path("text").asText()));
        return new Answer(text.toString(), body.path("stop_reason").asText(), messagesUsage(body.path("usage")));
    }

    private static Answer messagesStream(HttpResponse<String> response) throws IOException {
        StringBuilder text = new StringBuilder();
        String stop = null;
        JsonNode usage = null;
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events.getFirst().event()).isEqualTo("message_start");
        assertThat(events.getLast().event()).isEqualTo("message_stop");
        for (SseEvent e : events) {
            JsonNode data = TestGateway.parse(e.data());
            assertThat(data.path("type").asText()).isEqualTo(e.event());
            if (e.event().equals("content_block_delta")) {
                text.append(data.path("delta").path("text").asText());
            } else if (e.event().equals("message_delta")) {
                stop = data.path("delta").path("stop_reason").asText();
                usage = data.path("usage");
            }
        }
        return new Answer(text.toString(), stop, messagesUsage(usage));
    }

    private static List<Long> messagesUsage(JsonNode u) {
        return List.of(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                u.path("cache_read_input_tokens").asLong(), u.path("cache_creation_input_tokens").asLong());
    }

    private static MockWebServer upstream(String model) {
        return switch (model.substring(0, model.indexOf('/'))) {
            case "openai" -> openai;
            case "anthropic" -> anthropic;
            default -> google;
        };
    }

    private static String root(MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

}
