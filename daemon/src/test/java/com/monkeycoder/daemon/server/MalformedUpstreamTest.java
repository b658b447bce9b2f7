package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.SocketPolicy;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that misbehaves after its stream began (a tool-call delta for a call never opened, arguments that
 * are not JSON when the call ends, an Anthropic {@code input_json_delta} for a block never started, a connection
 * cut mid-stream), through every ingress dialect with {@code stream:true}: the stream ends with the dialect's
 * error event (Chat Completions a {@code data:} error object, Anthropic {@code event: error}, Responses
 * {@code response.failed}, native {@code event: error}) and no success ending, the ledger holds one error row for
 * the request, and the next request through the same dialect and provider succeeds. A whole answer that is
 * malformed is a 502 in the dialect's error shape with one error row.
 */
class MalformedUpstreamTest {

    private static final String OPENAI_MODEL = "openai/gpt-4.1-mini";
    private static final String ANTHROPIC_MODEL = "anthropic/claude-sonnet-4-5";

    @TempDir
    static Path home;

    private static MockWebServer openai;
    private static MockWebServer anthropic;
    private static TestGateway gateway;
    /** Makes every prompt unique, so no answer is ever served from the cache. */
    private static final AtomicInteger NONCE = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        openai = new MockWebServer();
        anthropic = new MockWebServer();
        for (MockWebServer server : List.of(openai, anthropic)) {
            QueueDispatcher dispatcher = new QueueDispatcher();
            dispatcher.setFailFast(true); // a request nothing was queued for fails at once instead of hanging
            server.setDispatcher(dispatcher);
            server.start();
        }
        String anthropicRoot = anthropic.url("/").toString();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-openai-0000", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "ANTHROPIC_API_KEY", "sk-ant-test-0000",
                "ANTHROPIC_BASE_URL", anthropicRoot.substring(0, anthropicRoot.length() - 1)));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        anthropic.shutdown();
    }

    enum Ingress { EXECUTE, CHAT, RESPONSES, MESSAGES }

    /** What the upstream does wrong: which provider, the response it gets, and what the error message says. */
    record Misbehaviour(String what, String model, Supplier<MockResponse> response, String says) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Misbehaviour> streams() {
        return List.of(
                new Misbehaviour("OpenAI tool_calls delta for an index never opened", OPENAI_MODEL,
                        () -> WireFixtures.sse("openai/malformed-tool-delta-unopened.txt"), "which is not open"),
                new Misbehaviour("OpenAI tool-call arguments not JSON when the call ends", OPENAI_MODEL,
                        () -> WireFixtures.sse("openai/malformed-tool-arguments.txt"), "not a JSON object"),
                new Misbehaviour("Anthropic input_json_delta for a block never started", ANTHROPIC_MODEL,
                        () -> WireFixtures.sse("anthropic/malformed-input-json-delta-unstarted.sse"), "never started"),
                new Misbehaviour("OpenAI connection dropped mid-stream", OPENAI_MODEL,
                        () -> WireFixtures.sse("openai/chat-completion-stream-tool-calls.txt")
                                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY), "openai"),
                new Misbehaviour("Anthropic connection dropped mid-stream", ANTHROPIC_MODEL,
                        () -> WireFixtures.sse("anthropic/stream-thinking-tools.sse")
                                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY), "anthropic"));
    }

    static List<Misbehaviour> wholes() {
        return List.of(
                new Misbehaviour("OpenAI tool-call arguments not JSON", OPENAI_MODEL,
                        () -> WireFixtures.json("openai/malformed-tool-arguments.json"), "not a JSON object"),
                new Misbehaviour("OpenAI body cut short", OPENAI_MODEL,
                        () -> WireFixtures.json("openai/malformed-truncated.json"), "openai"),
                new Misbehaviour("Anthropic body cut short", ANTHROPIC_MODEL,
                        () -> WireFixtures.json("anthropic/malformed-truncated.json"), "anthropic"));
    }

    static Stream<Arguments> streamCases() {
        return product(streams());
    }

    static Stream<Arguments> wholeCases() {
        return product(wholes());
    }

    private static Stream<Arguments> product(List<Misbehaviour> upstream) {
        List<Arguments> cases = new ArrayList<>();
        for (Misbehaviour m : upstream) {
            for (Ingress ingress : Ingress.values()) {
                cases.add(Arguments.of(ingress, m));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("streamCases")
    void streamEndsWithTheDialectsErrorEventOneErrorRowAndTheDaemonUnharmed(Ingress ingress, Misbehaviour m) {
        upstream(m.model()).enqueue(m.response().get());
        int rowsBefore = LedgerRows.all(gateway).size();

        HttpResponse<String> response = post(ingress, m.model(), true);

        assertThat(response.statusCode()).as("the stream began: %s", response.body()).isEqualTo(200);
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events).as("events of %s", response.body()).hasSizeGreaterThan(1);
        assertStreamFailed(ingress, events);
        assertThat(events.getLast().data()).as("the error says what went wrong").contains(m.says());
        assertOneErrorRow(response, rowsBefore);
        assertNextRequestSucceeds(ingress, m.model());
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("wholeCases")
    void wholeAnswerIsBadGatewayInTheDialectsShapeWithOneErrorRow(Ingress ingress, Misbehaviour m) {
        upstream(m.model()).enqueue(m.response().get());
        int rowsBefore = LedgerRows.all(gateway).size();

        HttpResponse<String> response = post(ingress, m.model(), false);

        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(502);
        JsonNode body = TestGateway.json(response);
        assertThat(response.body()).as("the error says what went wrong").contains(m.says());
        switch (ingress) {
            case EXECUTE -> {
                JsonNode details = assertEnvelope(response, 502, "LLM_ERROR");
                assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("bad_response");
            }
            case MESSAGES -> {
                assertThat(body.path("type").asText()).isEqualTo("error");
                assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
                assertThat(body.path("error").path("message").asText()).isNotBlank();
            }
            default -> assertOpenAiError(body.path("error"));
        }
        assertOneErrorRow(response, rowsBefore);
        assertNextRequestSucceeds(ingress, m.model());
    }

    private static void assertStreamFailed(Ingress ingress, List<SseEvent> events) {
        SseEvent last = events.getLast();
        switch (ingress) {
            case EXECUTE -> {
                assertThat(events.getFirst().event()).isEqualTo("start");
                assertThat(events).extracting(SseEvent::event).doesNotContain("done");
                assertThat(last.event()).isEqualTo("error");
                assertEnvelope(last.data(), 502, "LLM_ERROR");
            }
            case CHAT -> {
                assertThat(events).extracting(SseEvent::data).doesNotContain("[DONE]");
                assertThat(last.event()).isEqualTo("message");
                JsonNode data = TestGateway.parse(last.data());
                assertThat(data.size()).as("only 'error' in %s", data).isEqualTo(1);
                assertOpenAiError(data.path("error"));
            }
            case RESPONSES -> {
                assertThat(events).extracting(SseEvent::event)
                        .doesNotContain("response.completed", "response.incomplete");
                assertThat(last.event()).isEqualTo("response.failed");
                JsonNode failed = TestGateway.parse(last.data());
                assertThat(failed.path("type").asText()).isEqualTo("response.failed");
                assertThat(failed.path("response").path("status").asText()).isEqualTo("failed");
                assertThat(failed.path("response").path("error").path("code").asText()).isEqualTo("llm_error");
                assertThat(failed.path("response").path("error").path("message").asText()).isNotBlank();
            }
            case MESSAGES -> {
                assertThat(events.getFirst().event()).isEqualTo("message_start");
                assertThat(events).extracting(SseEvent::event).doesNotContain("message_stop");
                assertThat(last.event()).isEqualTo("error");
                JsonNode error = TestGateway.parse(last.data());
                assertThat(error.path("type").asText()).isEqualTo("error");
                assertThat(error.path("error").path("type").asText()).isEqualTo("api_error");
                assertThat(error.path("error").path("message").asText()).isNotBlank();
            }
        }
    }

    private static void assertOpenAiError(JsonNode error) {
        assertThat(error.path("type").asText()).isEqualTo("api_error");
        assertThat(error.path("code").asText()).isEqualTo("llm_error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).as("param written out: %s", error).isTrue();
    }

    private static void assertOneErrorRow(HttpResponse<String> response, int rowsBefore) {
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, TestGateway.requestId(response));
        assertThat(rows).as("ledger rows of the request").hasSize(1);
        assertThat(rows.getFirst().status()).isEqualTo("error");
        assertThat(rows.getFirst().errorCode()).isEqualTo("LLM_ERROR");
        assertThat(LedgerRows.all(gateway)).as("no other row was written").hasSize(rowsBefore + 1);
    }

    /** The same dialect and provider, a well-formed stream: it succeeds, the failure left nothing behind. */
    private static void assertNextRequestSucceeds(Ingress ingress, String model) {
        boolean anthropicModel = model.equals(ANTHROPIC_MODEL);
        upstream(model).enqueue(WireFixtures.sse(anthropicModel ? "anthropic/stream.sse" : "openai/chat-completion-stream.txt"));
        int rowsBefore = LedgerRows.all(gateway).size();

        HttpResponse<String> response = post(ingress, model, true);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = TestGateway.events(response.body());
        String expectedLast = switch (ingress) {
            case EXECUTE -> "done";
            case RESPONSES -> "response.completed";
            case MESSAGES -> "message_stop";
            case CHAT -> "message";
        };
        assertThat(events.getLast().event()).as("last event of %s", response.body()).isEqualTo(expectedLast);
        if (ingress == Ingress.CHAT) {
            assertThat(events.getLast().data()).isEqualTo("[DONE]");
        }
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, TestGateway.requestId(response));
        assertThat(rows).extracting(LedgerRows.Row::status).containsExactly("ok");
        assertThat(LedgerRows.all(gateway)).hasSize(rowsBefore + 1);
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }

    private static MockWebServer upstream(String model) {
        return model.equals(ANTHROPIC_MODEL) ? anthropic : openai;
    }

    private static HttpResponse<String> post(Ingress ingress, String model, boolean stream) {
        String prompt = "weather in Paris? #" + NONCE.incrementAndGet();
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
        return switch (ingress) {
            case EXECUTE -> gateway.post("/v1/execute", """
                    {"model":"%s","prompt":"%s","stream":%s,"tools":[{"name":"get_weather","parameters":%s}]}"""
                    .formatted(model, prompt, stream, schema));
            case CHAT -> gateway.post("/v1/chat/completions", """
                    {"model":"%s","messages":[{"role":"user","content":"%s"}],"stream":%s,
                     "tools":[{"type":"function","function":{"name":"get_weather","parameters":%s}}]}"""
                    .formatted(model, prompt, stream, schema));
            case RESPONSES -> gateway.post("/v1/responses", """
                    {"model":"%s","store":false,"input":"%s","stream":%s,
                     "tools":[{"type":"function","name":"get_weather","parameters":%s}]}"""
                    .formatted(model, prompt, stream, schema));
            case MESSAGES -> gateway.post("/v1/messages", """
                    {"model":"%s","max_tokens":1024,"messages":[{"role":"user","content":"%s"}],"stream":%s,
                     "tools":[{"name":"get_weather","input_schema":%s}]}"""
                    .formatted(model, prompt, stream, schema));
        };
    }
}
