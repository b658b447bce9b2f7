package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent matrix: every ingress dialect ({@code /v1/execute}, {@code /v1/chat/completions}, {@code /v1/responses},
 * {@code /v1/messages}) against every provider wire format (OpenAI, Anthropic, Gemini), whole and streamed, in five
 * scenarios an agent relies on: plain text, a two-turn tool-call round trip, parallel tool calls, an image, and
 * thinking with its signature. One real gateway serves all of it; each fake upstream replays its provider's
 * documented bytes (fixtures {@code matrix-*} and the ones CrossFormatGoldenTest uses) and records what it was
 * sent, so the test checks both directions: what the client sees, in the dialect's own shape and event order, and
 * what the provider receives, in its own format. Every request's ledger row is checked to the micro-dollar against
 * figures worked out by hand from the fixture's usage and the catalog's prices (the table below).
 */
class AgentMatrixGoldenTest {

    enum Ingress {
        EXECUTE("/v1/execute", "execute"),
        CHAT("/v1/chat/completions", "chat_completions"),
        RESPONSES("/v1/responses", "responses"),
        MESSAGES("/v1/messages", "messages");

        final String path;
        final String route;

        Ingress(String path, String route) {
            this.path = path;
            this.route = route;
        }
    }

    enum Upstream {
        OPENAI("openai/gpt-4.1-mini"),
        ANTHROPIC("anthropic/claude-sonnet-4-5"),
        GOOGLE("google/gemini-2.5-flash");

        final String model;

        Upstream(String model) {
            this.model = model;
        }

        String provider() {
            return model.substring(0, model.indexOf('/'));
        }

        String modelId() {
            return model.substring(model.indexOf('/') + 1);
        }
    }

    enum Scenario { TEXT, TOOL_ROUND_TRIP, PARALLEL_TOOLS, IMAGE, THINKING }

    /** A fixture and the ledger row it must give: uncached prompt and completion tokens, cost in micro-dollars. */
    record Figures(String fixture, long prompt, long completion, long costMicros) {
    }

    /** A tool call as the client must see it; a null id means the gateway makes one (Gemini sends none). */
    record Call(String id, String name, String arguments) {
    }

    /** What a scenario's first answer must look like to the client, and its row. */
    record Golden(Figures figures, String text, List<Call> calls, String thinking, String signature) {
    }

    // ---- the table: fixtures, what they say, and their cost ----

    private static final String WEATHER_RESULT = "18°C and sunny";
    /** A 1×1 transparent PNG. */
    private static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static final String OPENAI_TEXT = "Monkeys write code one banana at a time.\n\nWant an example?";
    private static final String OPENAI_STREAM_TEXT = "Monkeys write code one banana at a time.";
    private static final String ANTHROPIC_TEXT = "Here is the function:\n\ndef add(a, b):\n    return a + b";
    private static final String ANTHROPIC_STREAM_TEXT = "Hello, monkey!";
    private static final String GEMINI_TEXT = "AI learns patterns from data and uses them to make predictions.";
    private static final String GEMINI_STREAM_TEXT = "AI learns patterns from examples instead of following fixed rules.";

    /** The text answers (scenario 1, the image's answer, every second turn), by upstream and streaming. */
    private static Golden text(Upstream upstream, boolean stream) {
        return switch (upstream) {
            // gpt-4.1-mini: $0.40 in, $1.60 out, $0.10 cached.
            // 27 in -> 10.8 -> 11, 14 out -> 22.4 -> 22: 33.   24 in -> 9.6 -> 10, 9 out -> 14.4 -> 14: 24.
            case OPENAI -> stream
                    ? golden(new Figures("openai/chat-completion-stream.txt", 24, 9, 24), OPENAI_STREAM_TEXT)
                    : golden(new Figures("openai/chat-completion.json", 27, 14, 33), OPENAI_TEXT);
            // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write.
            // 34 in -> 102, 19 out -> 285, 2048 read -> 614.4 -> 614: 1001.
            // 21 in -> 63, 15 out -> 225, 30000 read -> 9000, 1800 write -> 6750: 16038.
            case ANTHROPIC -> stream
                    ? golden(new Figures("anthropic/stream.sse", 21, 15, 16038), ANTHROPIC_STREAM_TEXT)
                    : golden(new Figures("anthropic/message.json", 34, 19, 1001), ANTHROPIC_TEXT);
            // gemini-2.5-flash: $0.30 in, $2.50 out (thinking included), $0.03 cached.
            // 2060 prompt of which 2048 cached: 12 in -> 3.6 -> 4; 13 + 268 thoughts = 281 out -> 702.5 -> 703;
            // 2048 cached -> 61.44 -> 61: 768.   8 in -> 2.4 -> 2; 14 + 430 thoughts = 444 out -> 1110: 1112.
            case GOOGLE -> stream
                    ? golden(new Figures("gemini/stream.sse", 8, 444, 1112), GEMINI_STREAM_TEXT)
                    : golden(new Figures("gemini/generate-content.json", 12, 281, 768), GEMINI_TEXT);
        };
    }

    /** The first answer of a tool round trip: one call, get_weather for Paris. */
    private static Golden oneCall(Upstream upstream, boolean stream) {
        return switch (upstream) {
            // 61 in -> 24.4 -> 24, 17 out -> 27.2 -> 27: 51.   63 in -> 25.2 -> 25, 18 out -> 28.8 -> 29: 54.
            case OPENAI -> stream
                    ? calls(new Figures("openai/matrix-stream-tool-call.txt", 63, 18, 54), "",
                    new Call("call_MxStreamParis9z8y7x6w5v", "get_weather", "{\"city\":\"Paris\"}"))
                    : calls(new Figures("openai/matrix-tool-call.json", 61, 17, 51), "",
                    new Call("call_MxWholeParis0a1b2c3d4e5f", "get_weather", "{\"city\":\"Paris\"}"));
            // 402 in -> 1206, 52 out -> 780: 1986.   405 in -> 1215, 54 out -> 810: 2025.
            case ANTHROPIC -> stream
                    ? calls(new Figures("anthropic/matrix-stream-tool-use.sse", 405, 54, 2025), "",
                    new Call("toolu_01MxStreamParisG1hJ3k", "get_weather", "{\"city\": \"Paris\"}"))
                    : calls(new Figures("anthropic/matrix-message-tool-use.json", 402, 52, 1986), "",
                    new Call("toolu_01MxWholeParisA7bC9dE", "get_weather", "{\"city\":\"Paris\"}"));
            // 70 in -> 21, 12 out -> 30: 51.   72 in -> 21.6 -> 22, 13 out -> 32.5 -> 33: 55.
            case GOOGLE -> stream
                    ? calls(new Figures("gemini/matrix-stream-function-call.sse", 72, 13, 55), "",
                    new Call(null, "get_weather", "{\"city\":\"Paris\"}"))
                    : calls(new Figures("gemini/matrix-generate-content-function-call.json", 70, 12, 51), "",
                    new Call(null, "get_weather", "{\"city\":\"Paris\"}"));
        };
    }

    /** Two calls in one answer. */
    private static Golden twoCalls(Upstream upstream, boolean stream) {
        return switch (upstream) {
            // 120 prompt of which 64 cached: 56 in -> 22.4 -> 22; 98 out (64 of them reasoning) -> 156.8 -> 157;
            // 64 cached -> 6.4 -> 6: 185.   82 in -> 32.8 -> 33, 41 out -> 65.6 -> 66: 99.
            case OPENAI -> stream
                    ? calls(new Figures("openai/chat-completion-stream-tool-calls.txt", 82, 41, 99), "",
                    new Call("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"city\": \"Paris\"}"),
                    new Call("call_ABqv2mJd8Lp0xXkR6tWn4eYs", "get_weather", "{\"city\": \"Boston\"}"))
                    : calls(new Figures("openai/chat-completion-tool-calls.json", 56, 98, 185), "",
                    new Call("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"city\": \"Paris\"}"),
                    new Call("call_ABqv2mJd8Lp0xXkR6tWn4eYs", "get_weather", "{\"city\": \"Boston\"}"));
            // 410 in -> 1230, 96 out -> 1440: 2670.
            // thinking, text, then two calls: 512 in -> 1536, 1024 read -> 307.2 -> 307, 89 out -> 1335: 3178.
            case ANTHROPIC -> stream
                    ? calls(new Figures("anthropic/stream-thinking-tools.sse", 512, 89, 3178), "Checking both.",
                    new Call("toolu_01Paris4kW9xQv", "get_weather", "{\"city\": \"Paris\"}"),
                    new Call("toolu_01Tokyo8mR2zNc", "get_weather", "{\"city\": \"Tōkyō\"}"))
                    : calls(new Figures("anthropic/matrix-message-parallel-tool-use.json", 410, 96, 2670), "",
                    new Call("toolu_01MxParisF2gH4jK", "get_weather", "{\"city\":\"Paris\"}"),
                    new Call("toolu_01MxBostonL6mN8pQ", "get_weather", "{\"city\":\"Boston\"}"));
            // 80 in -> 24, 24 out -> 60: 84.
            // thoughts then two calls: 96 in -> 28.8 -> 29; 40 + 66 thoughts = 106 out -> 265: 294.
            case GOOGLE -> stream
                    ? calls(new Figures("gemini/stream-thoughts-function-calls.sse", 96, 106, 294), "",
                    new Call(null, "get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}"),
                    new Call(null, "get_weather", "{\"city\":\"Rome\",\"unit\":\"c\"}"))
                    : calls(new Figures("gemini/matrix-generate-content-parallel-function-calls.json", 80, 24, 84), "",
                    new Call(null, "get_weather", "{\"city\":\"Paris\"}"),
                    new Call(null, "get_weather", "{\"city\":\"Boston\"}"));
        };
    }

    private static final String THOUGHT = "Monkeys and bananas: a classic pairing.";
    private static final String GEMINI_THOUGHT = "**Pairing monkeys with food**\n\n" + THOUGHT;

    /** Thinking with its signature, then text. gpt-4.1-mini writes no reasoning text: the scenario is text there. */
    private static Golden thinking(Upstream upstream, boolean stream) {
        return switch (upstream) {
            case OPENAI -> text(upstream, stream);
            // 30 in -> 90, 120 out -> 1800: 1890.   31 in -> 93, 121 out -> 1815: 1908.
            case ANTHROPIC -> stream
                    ? new Golden(new Figures("anthropic/matrix-stream-thinking.sse", 31, 121, 1908),
                    "Monkeys like bananas.", List.of(), THOUGHT,
                    "EqQBCkgIBxABGAIiQMxStreamSig+/3bC5dE7fG9hI1jK3lM5nO7pQ9rS1tU3vW5xY7z==")
                    : new Golden(new Figures("anthropic/matrix-message-thinking.json", 30, 120, 1890),
                    "Monkeys like bananas.", List.of(), THOUGHT,
                    "EqMBCkgIBxABGAIiQMxWholeSig+/9aZ0bYc1dXe2fGh3iJk4lMn5oPq6rSt7uVw8xYz==");
            // 12 in -> 3.6 -> 4, 6 + 150 thoughts = 156 out -> 390: 394.
            // 13 in -> 3.9 -> 4, 7 + 151 thoughts = 158 out -> 395: 399.
            case GOOGLE -> stream
                    ? new Golden(new Figures("gemini/matrix-stream-thoughts.sse", 13, 158, 399),
                    "Monkeys like bananas.", List.of(), GEMINI_THOUGHT,
                    "CiQBjz1rX2MatrixStreamSig3hJ5kL7mN9pQ1rS3tU5vW7xY9zA1bC+/=")
                    : new Golden(new Figures("gemini/matrix-generate-content-thoughts.json", 12, 156, 394),
                    "Monkeys like bananas.", List.of(), GEMINI_THOUGHT,
                    "CiQBjz1rX2MatrixWholeSig0fJb4V3mK8pWqS2tYf7uLxN1oQe9ZcR6vT+/=");
        };
    }

    private static Golden first(Scenario scenario, Upstream upstream, boolean stream) {
        return switch (scenario) {
            case TEXT, IMAGE -> text(upstream, stream);
            case TOOL_ROUND_TRIP -> oneCall(upstream, stream);
            case PARALLEL_TOOLS -> twoCalls(upstream, stream);
            case THINKING -> thinking(upstream, stream);
        };
    }

    private static Golden golden(Figures figures, String text) {
        return new Golden(figures, text, List.of(), null, null);
    }

    private static Golden calls(Figures figures, String text, Call... calls) {
        return new Golden(figures, text, List.of(calls), null, null);
    }

    // ---- the gateway and its fakes ----

    /** Answers each provider call with the next scripted response and keeps what the gateway sent. */
    static final class Script extends Dispatcher {
        final Deque<MockResponse> answers = new ConcurrentLinkedDeque<>();
        final List<Sent> received = new CopyOnWriteArrayList<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            received.add(new Sent(request.getPath(), request.getBody().readUtf8()));
            MockResponse answer = answers.poll();
            return answer != null ? answer : new MockResponse().setResponseCode(500)
                    .setBody("{\"error\":{\"message\":\"the test scripted no answer\"}}");
        }

        void reset() {
            answers.clear();
            received.clear();
        }
    }

    record Sent(String path, String body) {
        JsonNode json() {
            return TestGateway.parse(body);
        }
    }

    @TempDir
    static Path home;

    private static final Map<Upstream, MockWebServer> SERVERS = new EnumMap<>(Upstream.class);
    private static final Map<Upstream, Script> SCRIPTS = new EnumMap<>(Upstream.class);
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        for (Upstream u : Upstream.values()) {
            MockWebServer server = new MockWebServer();
            Script script = new Script();
            server.setDispatcher(script);
            server.start();
            SERVERS.put(u, server);
            SCRIPTS.put(u, script);
        }
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-openai", "OPENAI_BASE_URL", SERVERS.get(Upstream.OPENAI).url("/v1").toString(),
                "ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", root(SERVERS.get(Upstream.ANTHROPIC)),
                "GOOGLE_API_KEY", "google-test-key", "GOOGLE_BASE_URL", root(SERVERS.get(Upstream.GOOGLE))));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        for (MockWebServer server : SERVERS.values()) {
            server.shutdown();
        }
    }

    @BeforeEach
    void resetFakes() {
        SCRIPTS.values().forEach(Script::reset);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            for (Ingress ingress : Ingress.values()) {
                for (Upstream upstream : Upstream.values()) {
                    for (boolean stream : List.of(false, true)) {
                        cases.add(Arguments.of(scenario, ingress, upstream, stream));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} <- {2}, stream={3}")
    @MethodSource("matrix")
    void everyDialectCarriesEveryScenarioToEveryWireFormat(Scenario scenario, Ingress ingress, Upstream upstream,
                                                           boolean stream) {
        Golden golden = first(scenario, upstream, stream);
        Script fake = SCRIPTS.get(upstream);
        fake.answers.add(answer(golden.figures(), stream));

        Turn turn1 = Turn.first(scenario);
        HttpResponse<String> response = send(ingress, upstream, stream, turn1);
        View view = view(ingress, stream, response);

        // What the client sees.
        assertThat(view.text()).isEqualTo(golden.text());
        assertThat(view.finish()).isEqualTo(finish(ingress, !golden.calls().isEmpty()));
        assertCalls(view.calls(), golden.calls());
        if (scenario == Scenario.THINKING) {
            assertThinking(ingress, view, golden);
        }
        assertRow(response, ingress, upstream, golden.figures());

        // What the provider was sent.
        assertThat(fake.received).hasSize(1);
        Sent sent = fake.received.getFirst();
        assertThat(sent.path()).isEqualTo(upstreamPath(upstream, stream));
        if (turn1.tools()) {
            assertThat(offeredTools(upstream, sent.json())).containsExactly("get_weather");
        }
        if (scenario == Scenario.IMAGE) {
            assertImageArrived(upstream, sent.json());
        }

        // The second turn: the call and its result, or the thinking, sent back in the dialect's own shape.
        Turn turn2 = switch (scenario) {
            case TOOL_ROUND_TRIP -> Turn.toolResult(view.calls().getFirst());
            case THINKING -> upstream != Upstream.OPENAI && ingress != Ingress.CHAT
                    ? Turn.thinkingBack(view.thinking(), view.signature(), view.text()) : null;
            default -> null;
        };
        if (turn2 == null) {
            return;
        }
        Golden second = text(upstream, stream);
        fake.received.clear();
        fake.answers.add(answer(second.figures(), stream));
        HttpResponse<String> response2 = send(ingress, upstream, stream, turn2);
        View view2 = view(ingress, stream, response2);
        assertThat(view2.text()).isEqualTo(second.text());
        assertThat(view2.finish()).isEqualTo(finish(ingress, false));
        assertRow(response2, ingress, upstream, second.figures());
        assertThat(fake.received).hasSize(1);
        JsonNode upstreamBody = fake.received.getFirst().json();
        if (scenario == Scenario.TOOL_ROUND_TRIP) {
            assertToolResultArrived(upstream, upstreamBody, view.calls().getFirst());
        } else {
            assertThinkingArrived(upstream, fake.received.getFirst().body(), upstreamBody, golden);
        }
    }

    // ---- expectations ----

    private static String finish(Ingress ingress, boolean toolCalls) {
        return switch (ingress) {
            case EXECUTE, CHAT -> toolCalls ? "tool_calls" : "stop";
            case RESPONSES -> "completed";
            case MESSAGES -> toolCalls ? "tool_use" : "end_turn";
        };
    }

    /** Names, arguments (as JSON) and ids in order; ids the gateway made for Gemini must be distinct. */
    private static void assertCalls(List<Call> seen, List<Call> expected) {
        assertThat(seen).hasSize(expected.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < expected.size(); i++) {
            Call s = seen.get(i);
            Call e = expected.get(i);
            assertThat(s.name()).as("call %d name", i).isEqualTo(e.name());
            assertThat(TestGateway.parse(s.arguments())).as("call %d arguments", i)
                    .isEqualTo(TestGateway.parse(e.arguments()));
            if (e.id() != null) {
                assertThat(s.id()).as("call %d id", i).isEqualTo(e.id());
            } else {
                assertThat(s.id()).as("call %d id", i).startsWith("call_");
            }
            assertThat(ids.add(s.id())).as("call ids are distinct: %s", seen).isTrue();
        }
    }

    /**
     * Chat Completions has no place for thinking: it is left out. The others show it: Anthropic's thinking block
     * with its signature, a Responses reasoning item (summary + encrypted_content), a native thinking part.
     */
    private static void assertThinking(Ingress ingress, View view, Golden golden) {
        if (ingress == Ingress.CHAT || golden.thinking() == null) {
            assertThat(view.thinking()).isNull();
            assertThat(view.signature()).isNull();
            return;
        }
        assertThat(view.thinking()).isEqualTo(golden.thinking());
        assertThat(view.signature()).isEqualTo(golden.signature());
    }

    private static void assertRow(HttpResponse<String> response, Ingress ingress, Upstream upstream, Figures f) {
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, TestGateway.requestId(response));
        assertThat(rows).hasSize(1);
        LedgerRows.Row row = rows.getFirst();
        assertThat(row.route()).isEqualTo(ingress.route);
        assertThat(row.provider()).isEqualTo(upstream.provider());
        assertThat(row.model()).isEqualTo(upstream.modelId());
        assertThat(row.status()).isEqualTo("ok");
        assertThat(row.estimated()).isFalse();
        assertThat(List.of(row.promptTokens(), row.completionTokens(), row.costMicros()))
                .as("prompt, completion, cost of %s", f.fixture())
                .containsExactly(f.prompt(), f.completion(), f.costMicros());
    }

    private static String upstreamPath(Upstream upstream, boolean stream) {
        return switch (upstream) {
            case OPENAI -> "/v1/chat/completions";
            case ANTHROPIC -> "/v1/messages";
            case GOOGLE -> "/v1beta/models/gemini-2.5-flash:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
        };
    }

    private static List<String> offeredTools(Upstream upstream, JsonNode body) {
        List<String> names = new ArrayList<>();
        switch (upstream) {
            case OPENAI -> body.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
            case ANTHROPIC -> body.path("tools").forEach(t -> names.add(t.path("name").asText()));
            case GOOGLE -> body.path("tools").path(0).path("functionDeclarations")
                    .forEach(t -> names.add(t.path("name").asText()));
        }
        return names;
    }

    private static void assertImageArrived(Upstream upstream, JsonNode body) {
        switch (upstream) {
            case OPENAI -> {
                JsonNode content = last(body.path("messages")).path("content");
                assertThat(content.path(0).path("type").asText()).isEqualTo("text");
                assertThat(content.path(1).path("type").asText()).isEqualTo("image_url");
                assertThat(content.path(1).path("image_url").path("url").asText())
                        .isEqualTo("data:image/png;base64," + PNG);
            }
            case ANTHROPIC -> {
                JsonNode image = last(body.path("messages")).path("content").path(1);
                assertThat(image.path("type").asText()).isEqualTo("image");
                assertThat(image.path("source")).isEqualTo(TestGateway.parse(
                        "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}"));
            }
            case GOOGLE -> {
                JsonNode image = last(body.path("contents")).path("parts").path(1);
                assertThat(image.path("inlineData")).isEqualTo(TestGateway.parse(
                        "{\"mimeType\":\"image/png\",\"data\":\"" + PNG + "\"}"));
            }
        }
    }

    /** The call went back as the provider's own call, and its result in the provider's tool-result shape. */
    private static void assertToolResultArrived(Upstream upstream, JsonNode body, Call call) {
        switch (upstream) {
            case OPENAI -> {
                JsonNode messages = body.path("messages");
                JsonNode assistant = messages.get(messages.size() - 2);
                assertThat(assistant.path("role").asText()).isEqualTo("assistant");
                JsonNode sentCall = assistant.path("tool_calls").path(0);
                assertThat(sentCall.path("id").asText()).isEqualTo(call.id());
                assertThat(sentCall.path("function").path("name").asText()).isEqualTo("get_weather");
                assertThat(TestGateway.parse(sentCall.path("function").path("arguments").asText()))
                        .isEqualTo(TestGateway.parse(call.arguments()));
                JsonNode tool = last(messages);
                assertThat(tool.path("role").asText()).isEqualTo("tool");
                assertThat(tool.path("tool_call_id").asText()).isEqualTo(call.id());
                assertThat(tool.path("content").asText()).isEqualTo(WEATHER_RESULT);
            }
            case ANTHROPIC -> {
                JsonNode messages = body.path("messages");
                JsonNode use = messages.get(messages.size() - 2).path("content").path(0);
                assertThat(use.path("type").asText()).isEqualTo("tool_use");
                assertThat(use.path("id").asText()).isEqualTo(call.id());
                assertThat(use.path("input")).isEqualTo(TestGateway.parse(call.arguments()));
                JsonNode result = last(messages);
                assertThat(result.path("role").asText()).isEqualTo("user");
                JsonNode block = result.path("content").path(0);
                assertThat(block.path("type").asText()).isEqualTo("tool_result");
                assertThat(block.path("tool_use_id").asText()).isEqualTo(call.id());
                assertThat(block.path("content").path(0).path("text").asText()).isEqualTo(WEATHER_RESULT);
            }
            case GOOGLE -> {
                JsonNode contents = body.path("contents");
                JsonNode model = contents.get(contents.size() - 2);
                assertThat(model.path("role").asText()).isEqualTo("model");
                assertThat(model.path("parts").path(0).path("functionCall")).isEqualTo(TestGateway.parse(
                        "{\"name\":\"get_weather\",\"args\":" + call.arguments() + "}"));
                JsonNode user = last(contents);
                assertThat(user.path("role").asText()).isEqualTo("user");
                JsonNode response = user.path("parts").path(0).path("functionResponse");
                assertThat(response.path("name").asText()).isEqualTo("get_weather");
                assertThat(response.path("response").path("content").asText()).isEqualTo(WEATHER_RESULT);
            }
        }
    }

    /**
     * The thinking the client sent back reaches the provider that signed it: Anthropic gets the thinking block
     * with the signature byte for byte; Gemini gets its thoughtSignature back on the part that followed it.
     */
    private static void assertThinkingArrived(Upstream upstream, String raw, JsonNode body, Golden golden) {
        switch (upstream) {
            case ANTHROPIC -> {
                JsonNode assistant = body.path("messages").path(1);
                assertThat(assistant.path("role").asText()).isEqualTo("assistant");
                assertThat(assistant.path("content").path(0)).isEqualTo(Json.mapper().createObjectNode()
                        .put("type", "thinking").put("thinking", golden.thinking()).put("signature", golden.signature()));
                assertThat(raw).contains("\"signature\":\"" + golden.signature() + "\"");
            }
            case GOOGLE -> {
                JsonNode model = body.path("contents").path(1);
                assertThat(model.path("role").asText()).isEqualTo("model");
                assertThat(model.path("parts")).hasSize(1);
                assertThat(model.path("parts").path(0)).isEqualTo(Json.mapper().createObjectNode()
                        .put("text", golden.text()).put("thoughtSignature", golden.signature()));
                assertThat(raw).contains("\"thoughtSignature\":\"" + golden.signature() + "\"");
            }
            case OPENAI -> throw new AssertionError("no thinking goes back to gpt-4.1-mini");
        }
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static MockResponse answer(Figures f, boolean stream) {
        return stream ? WireFixtures.sse(f.fixture()) : WireFixtures.json(f.fixture());
    }

    // ---- requests, in each dialect's shape ----

    /**
     * One client turn, dialect-neutral: the user's question, whether it carries the image, whether the weather
     * tool is offered, and the history before it (an assistant turn and what follows).
     */
    record Turn(boolean image, boolean tools, Call call, String thinking, String signature, String answered) {

        static Turn first(Scenario scenario) {
            boolean tools = scenario == Scenario.TOOL_ROUND_TRIP || scenario == Scenario.PARALLEL_TOOLS;
            return new Turn(scenario == Scenario.IMAGE, tools, null, null, null, null);
        }

        /** The history: the question, the assistant's call, and the tool's result. */
        static Turn toolResult(Call call) {
            return new Turn(false, true, call, null, null, null);
        }

        /** The history: the question, the assistant's thinking and answer, and a follow-up question. */
        static Turn thinkingBack(String thinking, String signature, String answered) {
            return new Turn(false, false, null, thinking, signature, answered);
        }

        String question() {
            return image ? "What is in this picture?" : tools ? "What is the weather in Paris?" : "hello";
        }
    }

    private static HttpResponse<String> send(Ingress ingress, Upstream upstream, boolean stream, Turn turn) {
        ObjectNode body = switch (ingress) {
            case EXECUTE -> execute(turn);
            case CHAT -> chat(turn, stream);
            case RESPONSES -> responses(turn);
            case MESSAGES -> messages(turn);
        };
        body.put("model", upstream.model).put("stream", stream);
        HttpResponse<String> response = gateway.post(ingress.path, Json.write(body),
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Cache-Control", "no-store"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static ObjectNode schema() {
        return (ObjectNode) TestGateway.parse(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    }

    private static ObjectNode execute(Turn turn) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode messages = body.putArray("messages");
        ObjectNode user = messages.addObject().put("role", "user");
        if (turn.image()) {
            ArrayNode content = user.putArray("content");
            content.addObject().put("type", "text").put("text", turn.question());
            content.addObject().put("type", "image").put("media_type", "image/png").put("data", PNG);
        } else {
            user.put("content", turn.question());
        }
        if (turn.call() != null) {
            messages.addObject().put("role", "assistant").putArray("content").addObject().put("type", "tool_call")
                    .put("id", turn.call().id()).put("name", turn.call().name()).put("arguments", turn.call().arguments());
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
                    .put("call_id", turn.call().id()).put("content", WEATHER_RESULT);
        }
        if (turn.signature() != null) {
            ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
            content.addObject().put("type", "thinking").put("text", turn.thinking()).put("signature", turn.signature());
            content.addObject().put("type", "text").put("text", turn.answered());
            messages.addObject().put("role", "user").put("content", "And pears?");
        }
        if (turn.tools()) {
            body.putArray("tools").addObject().put("name", "get_weather").put("description", "The weather in a city")
                    .set("parameters", schema());
        }
        return body;
    }

    private static ObjectNode chat(Turn turn, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode messages = body.putArray("messages");
        ObjectNode user = messages.addObject().put("role", "user");
        if (turn.image()) {
            ArrayNode content = user.putArray("content");
            content.addObject().put("type", "text").put("text", turn.question());
            content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", "data:image/png;base64," + PNG);
        } else {
            user.put("content", turn.question());
        }
        if (turn.call() != null) {
            ObjectNode assistant = messages.addObject().put("role", "assistant");
            assistant.putNull("content");
            assistant.putArray("tool_calls").addObject().put("id", turn.call().id()).put("type", "function")
                    .putObject("function").put("name", turn.call().name()).put("arguments", turn.call().arguments());
            messages.addObject().put("role", "tool").put("tool_call_id", turn.call().id()).put("content", WEATHER_RESULT);
        }
        if (turn.tools()) {
            ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function");
            function.put("name", "get_weather").put("description", "The weather in a city").set("parameters", schema());
        }
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ObjectNode responses(Turn turn) {
        ObjectNode body = Json.mapper().createObjectNode().put("store", false);
        ArrayNode input = body.putArray("input");
        ObjectNode user = input.addObject().put("type", "message").put("role", "user");
        ArrayNode content = user.putArray("content");
        content.addObject().put("type", "input_text").put("text", turn.question());
        if (turn.image()) {
            content.addObject().put("type", "input_image").put("image_url", "data:image/png;base64," + PNG);
        }
        if (turn.call() != null) {
            input.addObject().put("type", "function_call").put("call_id", turn.call().id())
                    .put("name", turn.call().name()).put("arguments", turn.call().arguments());
            input.addObject().put("type", "function_call_output").put("call_id", turn.call().id())
                    .put("output", WEATHER_RESULT);
        }
        if (turn.signature() != null) {
            ObjectNode reasoning = input.addObject().put("type", "reasoning");
            reasoning.putArray("summary").addObject().put("type", "summary_text").put("text", turn.thinking());
            reasoning.put("encrypted_content", turn.signature());
            input.addObject().put("type", "message").put("role", "assistant").putArray("content").addObject()
                    .put("type", "output_text").put("text", turn.answered());
            input.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
                    .put("type", "input_text").put("text", "And pears?");
        }
        if (turn.tools()) {
            body.putArray("tools").addObject().put("type", "function").put("name", "get_weather")
                    .put("description", "The weather in a city").set("parameters", schema());
        }
        return body;
    }

    private static ObjectNode messages(Turn turn) {
        ObjectNode body = Json.mapper().createObjectNode().put("max_tokens", 2048);
        ArrayNode messages = body.putArray("messages");
        ObjectNode user = messages.addObject().put("role", "user");
        if (turn.image()) {
            ArrayNode content = user.putArray("content");
            content.addObject().put("type", "text").put("text", turn.question());
            content.addObject().put("type", "image").putObject("source").put("type", "base64")
                    .put("media_type", "image/png").put("data", PNG);
        } else {
            user.put("content", turn.question());
        }
        if (turn.call() != null) {
            ObjectNode use = messages.addObject().put("role", "assistant").putArray("content").addObject()
                    .put("type", "tool_use").put("id", turn.call().id()).put("name", turn.call().name());
            use.set("input", TestGateway.parse(turn.call().arguments()));
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
                    .put("tool_use_id", turn.call().id()).put("content", WEATHER_RESULT);
        }
        if (turn.signature() != null) {
            ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
            content.addObject().put("type", "thinking").put("thinking", turn.thinking())
                    .put("signature", turn.signature());
            content.addObject().put("type", "text").put("text", turn.answered());
            messages.addObject().put("role", "user").put("content", "And pears?");
        }
        if (turn.tools()) {
            body.putArray("tools").addObject().put("name", "get_weather").put("description", "The weather in a city")
                    .set("input_schema", schema());
        }
        return body;
    }

    // ---- answers, as each dialect's client reads them ----

    /** What a client got: text, thinking and its signature (null when none), tool calls, and why it ended. */
    record View(String text, String thinking, String signature, List<Call> calls, String finish) {
    }

    private static View view(Ingress ingress, boolean stream, HttpResponse<String> response) {
        if (stream) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<SseEvent> events = TestGateway.events(response.body());
            return switch (ingress) {
                case EXECUTE -> executeStream(events);
                case CHAT -> chatStream(events);
                case RESPONSES -> responsesStream(events);
                case MESSAGES -> messagesStream(events);
            };
        }
        JsonNode body = TestGateway.json(response);
        return switch (ingress) {
            case EXECUTE -> executeWhole(body);
            case CHAT -> chatWhole(body);
            case RESPONSES -> responsesWhole(body);
            case MESSAGES -> messagesWhole(body);
        };
    }

    /** Accumulates a view; thinking and signature stay null unless something sets them. */
    private static final class ViewBuilder {
        final StringBuilder text = new StringBuilder();
        StringBuilder thinking;
        String signature;
        final List<Call> calls = new ArrayList<>();
        String finish;

        void thinking(String piece) {
            if (thinking == null) {
                thinking = new StringBuilder();
            }
            thinking.append(piece);
        }

        void signature(String s) {
            assertThat(signature).as("one signature").isNull();
            signature = s;
        }

        View build() {
            return new View(text.toString(), thinking == null ? null : thinking.toString(), signature,
                    List.copyOf(calls), finish);
        }
    }

    // native

    private static View executeWhole(JsonNode body) {
        ViewBuilder v = new ViewBuilder();
        v.text.append(body.path("content").asText());
        nativeParts(body.path("parts"), v);
        v.finish = body.path("finish_reason").asText();
        return v.build();
    }

    /** {@code start}, then {@code thinking} and {@code delta} events, then {@code done} with the calls in parts. */
    private static View executeStream(List<SseEvent> events) {
        ViewBuilder v = new ViewBuilder();
        assertThat(events.getFirst().event()).isEqualTo("start");
        assertThat(events.getLast().event()).isEqualTo("done");
        StringBuilder streamedThinking = new StringBuilder();
        for (SseEvent e : events.subList(1, events.size() - 1)) {
            JsonNode data = TestGateway.parse(e.data());
            switch (e.event()) {
                case "delta" -> v.text.append(data.path("content").asText());
                case "thinking" -> streamedThinking.append(data.path("content").asText());
                default -> throw new AssertionError("unexpected native event " + e.event());
            }
        }
        JsonNode done = TestGateway.parse(events.getLast().data());
        assertThat(done.has("content")).as("done carries no content").isFalse();
        nativeParts(done.path("parts"), v);
        assertThat(streamedThinking.toString()).isEqualTo(v.thinking == null ? "" : v.thinking.toString());
        v.finish = done.path("finish_reason").asText();
        return v.build();
    }

    private static void nativeParts(JsonNode parts, ViewBuilder v) {
        StringBuilder text = new StringBuilder();
        for (JsonNode p : parts) {
            switch (p.path("type").asText()) {
                case "text" -> text.append(p.path("text").asText());
                case "thinking" -> {
                    v.thinking(p.path("text").asText());
                    if (p.hasNonNull("signature")) {
                        v.signature(p.path("signature").asText());
                    }
                }
                case "tool_call" -> v.calls.add(new Call(p.path("id").asText(), p.path("name").asText(),
                        p.path("arguments").asText()));
                default -> throw new AssertionError("unexpected native part " + p);
            }
        }
        if (!parts.isMissingNode() && !parts.isNull()) {
            assertThat(text.toString()).as("parts' text is the content").isEqualTo(v.text.toString());
        }
    }

    // Chat Completions

    private static View chatWhole(JsonNode body) {
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        ViewBuilder v = new ViewBuilder();
        v.text.append(message.path("content").asText(""));
        for (JsonNode call : message.path("tool_calls")) {
            assertThat(call.path("type").asText()).isEqualTo("function");
            v.calls.add(new Call(call.path("id").asText(), call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText()));
        }
        if (!v.calls.isEmpty() && v.text.isEmpty()) {
            assertThat(message.get("content").isNull()).as("content is null beside tool calls").isTrue();
        }
        assertThat(message.has("reasoning_content") || message.has("reasoning")).isFalse();
        v.finish = choice.path("finish_reason").asText();
        return v.build();
    }

    /**
     * OpenAI's order: a role chunk; per call a first chunk with index, id, type and name (empty arguments), then
     * chunks of arguments with the index only; a chunk with the finish reason; the usage chunk; {@code [DONE]}.
     */
    private static View chatStream(List<SseEvent> events) {
        ViewBuilder v = new ViewBuilder();
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<StringBuilder> arguments = new ArrayList<>();
        boolean finished = false;
        boolean usage = false;
        for (int i = 0; i < events.size() - 1; i++) {
            JsonNode chunk = TestGateway.parse(events.get(i).data());
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            if (chunk.path("choices").isEmpty()) {
                assertThat(finished).as("usage comes after the finish reason").isTrue();
                assertThat(chunk.path("usage").isObject()).isTrue();
                usage = true;
                continue;
            }
            assertThat(finished).as("nothing after the finish reason but usage").isFalse();
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            if (i == 0) {
                assertThat(delta.path("role").asText()).isEqualTo("assistant");
            }
            v.text.append(delta.path("content").asText(""));
            assertThat(delta.has("reasoning_content") || delta.has("reasoning")).isFalse();
            for (JsonNode item : delta.path("tool_calls")) {
                int index = item.path("index").asInt();
                if (item.has("id")) {
                    assertThat(index).as("calls start in order").isEqualTo(v.calls.size());
                    assertThat(item.path("type").asText()).isEqualTo("function");
                    assertThat(item.path("function").path("arguments").asText()).isEmpty();
                    v.calls.add(new Call(item.path("id").asText(), item.path("function").path("name").asText(), null));
                    arguments.add(new StringBuilder());
                } else {
                    assertThat(index).as("arguments for the call in progress").isEqualTo(v.calls.size() - 1);
                    assertThat(item.path("function").has("name")).isFalse();
                    arguments.get(index).append(item.path("function").path("arguments").asText());
                }
            }
            if (choice.hasNonNull("finish_reason")) {
                finished = true;
                v.finish = choice.path("finish_reason").asText();
            }
        }
        assertThat(usage).as("a usage chunk").isTrue();
        for (int i = 0; i < v.calls.size(); i++) {
            Call c = v.calls.get(i);
            assertThat(arguments.get(i)).as("call %d streams its arguments", i).isNotEmpty();
            v.calls.set(i, new Call(c.id(), c.name(), arguments.get(i).toString()));
        }
        return v.build();
    }

    // Responses

    private static View responsesWhole(JsonNode body) {
        assertThat(body.path("object").asText()).isEqualTo("response");
        ViewBuilder v = new ViewBuilder();
        responseOutput(body.path("output"), v);
        v.finish = body.path("status").asText();
        return v.build();
    }

    private static void responseOutput(JsonNode output, ViewBuilder v) {
        for (JsonNode item : output) {
            switch (item.path("type").asText()) {
                case "message" -> item.path("content").forEach(c -> v.text.append(c.path("text").asText()));
                case "reasoning" -> {
                    item.path("summary").forEach(s -> v.thinking(s.path("text").asText()));
                    if (item.hasNonNull("encrypted_content")) {
                        v.signature(item.path("encrypted_content").asText());
                    }
                }
                case "function_call" -> v.calls.add(new Call(item.path("call_id").asText(), item.path("name").asText(),
                        item.path("arguments").asText()));
                default -> throw new AssertionError("unexpected output item " + item);
            }
        }
    }

    /**
     * OpenAI's order: created, in_progress; per item output_item.added, its deltas (text, summary, arguments),
     * its done events and output_item.done with the whole item; response.completed with every item.
     */
    private static View responsesStream(List<SseEvent> events) {
        ViewBuilder v = new ViewBuilder();
        assertThat(events.get(0).event()).isEqualTo("response.created");
        assertThat(events.get(1).event()).isEqualTo("response.in_progress");
        assertThat(events.getLast().event()).isEqualTo("response.completed");
        String openId = null;
        String openType = null;
        StringBuilder arguments = null;
        ArrayNode doneItems = Json.mapper().createArrayNode();
        for (int i = 0; i < events.size(); i++) {
            SseEvent e = events.get(i);
            JsonNode data = TestGateway.parse(e.data());
            assertThat(data.path("type").asText()).isEqualTo(e.event());
            assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
            switch (e.event()) {
                case "response.created", "response.in_progress", "response.content_part.added",
                     "response.content_part.done", "response.output_text.done", "response.reasoning_summary_part.added",
                     "response.reasoning_summary_part.done", "response.reasoning_summary_text.done" -> {
                }
                case "response.output_item.added" -> {
                    assertThat(openId).as("one item open at a time").isNull();
                    JsonNode item = data.path("item");
                    assertThat(data.path("output_index").asInt()).isEqualTo(doneItems.size());
                    openId = item.path("id").asText();
                    openType = item.path("type").asText();
                    if (openType.equals("function_call")) {
                        assertThat(item.path("name").asText()).isNotEmpty();
                        assertThat(item.path("call_id").asText()).isNotEmpty();
                        assertThat(item.path("arguments").asText()).isEmpty();
                        arguments = new StringBuilder();
                    }
                }
                case "response.output_text.delta" -> {
                    assertThat(data.path("item_id").asText()).isEqualTo(openId);
                    v.text.append(data.path("delta").asText());
                }
                case "response.reasoning_summary_text.delta" -> {
                    assertThat(data.path("item_id").asText()).isEqualTo(openId);
                    v.thinking(data.path("delta").asText());
                }
                case "response.function_call_arguments.delta" -> {
                    assertThat(openType).isEqualTo("function_call");
                    assertThat(data.path("item_id").asText()).isEqualTo(openId);
                    arguments.append(data.path("delta").asText());
                }
                case "response.function_call_arguments.done" -> {
                    assertThat(data.path("item_id").asText()).isEqualTo(openId);
                    assertThat(data.path("arguments").asText()).isEqualTo(arguments.toString());
                }
                case "response.output_item.done" -> {
                    JsonNode item = data.path("item");
                    assertThat(item.path("id").asText()).isEqualTo(openId);
                    assertThat(item.path("status").isMissingNode() || item.path("status").asText().equals("completed"))
                            .isTrue();
                    switch (item.path("type").asText()) {
                        case "function_call" -> {
                            assertThat(arguments).as("arguments streamed").isNotEmpty();
                            assertThat(item.path("arguments").asText()).isEqualTo(arguments.toString());
                            v.calls.add(new Call(item.path("call_id").asText(), item.path("name").asText(),
                                    arguments.toString()));
                        }
                        case "reasoning" -> {
                            if (item.hasNonNull("encrypted_content")) {
                                v.signature(item.path("encrypted_content").asText());
                            }
                        }
                        default -> {
                        }
                    }
                    doneItems.add(item);
                    openId = null;
                    openType = null;
                }
                case "response.completed" -> {
                    assertThat(openId).as("every item closed").isNull();
                    assertThat(data.path("response").path("output")).isEqualTo(doneItems);
                    v.finish = data.path("response").path("status").asText();
                }
                default -> throw new AssertionError("unexpected Responses event " + e.event());
            }
        }
        return v.build();
    }

    // Anthropic Messages

    private static View messagesWhole(JsonNode body) {
        assertThat(body.path("type").asText()).isEqualTo("message");
        ViewBuilder v = new ViewBuilder();
        for (JsonNode block : body.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> v.text.append(block.path("text").asText());
                case "thinking" -> {
                    v.thinking(block.path("thinking").asText());
                    v.signature(block.path("signature").asText());
                }
                case "tool_use" -> {
                    assertThat(block.path("input").isObject()).isTrue();
                    v.calls.add(new Call(block.path("id").asText(), block.path("name").asText(),
                            Json.write(block.path("input"))));
                }
                default -> throw new AssertionError("unexpected content block " + block);
            }
        }
        v.finish = body.path("stop_reason").asText();
        return v.build();
    }

    /**
     * Anthropic's order: message_start; per block content_block_start (a tool_use with input {}), its deltas
     * (text_delta, thinking_delta then signature_delta, input_json_delta), content_block_stop; message_delta with
     * the stop reason; message_stop.
     */
    private static View messagesStream(List<SseEvent> events) {
        ViewBuilder v = new ViewBuilder();
        assertThat(events.getFirst().event()).isEqualTo("message_start");
        assertThat(events.getLast().event()).isEqualTo("message_stop");
        int blocks = 0;
        JsonNode open = null;
        StringBuilder input = null;
        boolean delta = false;
        for (SseEvent e : events) {
            JsonNode data = TestGateway.parse(e.data());
            assertThat(data.path("type").asText()).isEqualTo(e.event());
            switch (e.event()) {
                case "message_start", "message_stop", "ping" -> {
                }
                case "content_block_start" -> {
                    assertThat(open).as("one block open at a time").isNull();
                    assertThat(data.path("index").asInt()).isEqualTo(blocks);
                    open = data.path("content_block");
                    if (open.path("type").asText().equals("tool_use")) {
                        assertThat(open.path("input")).isEqualTo(Json.mapper().createObjectNode());
                        input = new StringBuilder();
                    }
                }
                case "content_block_delta" -> {
                    assertThat(open).as("a delta inside a block").isNotNull();
                    assertThat(data.path("index").asInt()).isEqualTo(blocks);
                    JsonNode d = data.path("delta");
                    String type = open.path("type").asText();
                    switch (d.path("type").asText()) {
                        case "text_delta" -> {
                            assertThat(type).isEqualTo("text");
                            v.text.append(d.path("text").asText());
                        }
                        case "thinking_delta" -> {
                            assertThat(type).isEqualTo("thinking");
                            v.thinking(d.path("thinking").asText());
                        }
                        case "signature_delta" -> {
                            assertThat(type).isEqualTo("thinking");
                            v.signature(d.path("signature").asText());
                        }
                        case "input_json_delta" -> {
                            assertThat(type).isEqualTo("tool_use");
                            input.append(d.path("partial_json").asText());
                        }
                        default -> throw new AssertionError("unexpected delta " + d);
                    }
                }
                case "content_block_stop" -> {
                    assertThat(open).isNotNull();
                    assertThat(data.path("index").asInt()).isEqualTo(blocks);
                    if (open.path("type").asText().equals("tool_use")) {
                        assertThat(input).as("input_json_delta before the stop").isNotEmpty();
                        v.calls.add(new Call(open.path("id").asText(), open.path("name").asText(), input.toString()));
                    }
                    open = null;
                    blocks++;
                }
                case "message_delta" -> {
                    assertThat(open).as("every block stopped before message_delta").isNull();
                    delta = true;
                    v.finish = data.path("delta").path("stop_reason").asText();
                }
                default -> throw new AssertionError("unexpected Messages event " + e.event());
            }
        }
        assertThat(delta).as("a message_delta").isTrue();
        return v.build();
    }

    private static String root(MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }
}
