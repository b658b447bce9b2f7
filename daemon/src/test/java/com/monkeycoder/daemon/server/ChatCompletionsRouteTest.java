package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code POST /v1/chat/completions} speaks OpenAI's Chat Completions wire format, answers and errors alike, so the
 * official SDKs work against the gateway with only their base URL changed.
 */
class ChatCompletionsRouteTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-0000";
    private static final String ROUTE = "/v1/chat/completions";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void wholeAnswerHasOpenAisShapeAndTheUpstreamsExactUsage() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"say hello"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").isIntegralNumber()).isTrue();
        assertThat(body.path("model").asText()).isEqualTo("openai/gpt-4.1-mini");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText())
                .isEqualTo("Monkeys write code one banana at a time.\n\nWant an example?");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(27);
        assertThat(body.path("usage").path("completion_tokens").asLong()).isEqualTo(14);
        assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(41);

        RecordedRequest upstream = openai.takeRequest(1, TimeUnit.SECONDS);
        JsonNode sent = TestGateway.parse(upstream.getBody().readUtf8());
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(sent.path("messages")).as("the client's messages go upstream as they are, with no persona added")
                .hasSize(1);
        assertThat(gateway.gateway().ledger().count(TestGateway.requestId(response))).isEqualTo(1);
    }

    @Test
    void demoAnswersThroughTheCompatibleRoute() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","messages":[{"role":"developer","content":"be brief"},
                 {"role":"user","content":[{"type":"text","text":"create a "},{"type":"text","text":"REST API"}]}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("model").asText()).isEqualTo("demo/monkey-demo");
        assertThat(body.path("choices").path(0).path("message").path("content").asText())
                .contains("offline demo").contains("create a REST API");
        assertThat(body.path("usage").path("completion_tokens").asLong()).isPositive();
    }

    @Test
    void streamWithIncludeUsageEndsWithAUsageChunkThenDone() {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"say hello"}],
                 "stream":true,"stream_options":{"include_usage":true}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events).allSatisfy(e -> assertThat(e.event()).isEqualTo("message"));
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(e -> TestGateway.parse(e.data())).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("model").asText()).isEqualTo("openai/gpt-4.1-mini");
            assertThat(c.path("id").asText()).isEqualTo(chunks.getFirst().path("id").asText());
        });

        assertThat(chunks.getFirst().path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.path("usage").path("prompt_tokens").asLong()).isEqualTo(24);
        assertThat(usageChunk.path("usage").path("completion_tokens").asLong()).isEqualTo(9);
        assertThat(usageChunk.path("usage").path("total_tokens").asLong()).isEqualTo(33);
        JsonNode finishChunk = chunks.get(chunks.size() - 2);
        assertThat(finishChunk.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(finishChunk.path("usage").isNull()).as("usage is null on every chunk but the last").isTrue();

        StringBuilder text = new StringBuilder();
        chunks.subList(0, chunks.size() - 2).forEach(c -> {
            assertThat(c.path("choices").path(0).path("finish_reason").isNull()).isTrue();
            text.append(c.path("choices").path(0).path("delta").path("content").asText());
        });
        assertThat(text.toString()).isEqualTo("Monkeys write code one banana at a time.");
    }

    @Test
    void streamWithoutIncludeUsageSendsNoUsageButTheLedgerStillHasIt() throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"say hello"}],"stream":true}""");

        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(e -> TestGateway.parse(e.data())).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.has("usage")).as("no usage field without include_usage: %s", c).isFalse();
            assertThat(c.path("choices")).hasSize(1);
        });
        assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");

        // The gateway asked upstream for usage anyway, so the ledger has the exact counts.
        JsonNode sent = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, TestGateway.requestId(response));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo("ok");
            assertThat(row.route()).isEqualTo("chat_completions");
            assertThat(row.promptTokens()).isEqualTo(24);
            assertThat(row.completionTokens()).isEqualTo(9);
            assertThat(row.estimated()).isFalse();
        });
    }

    @Test
    void demoStreamsThroughTheCompatibleRoute() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","messages":[{"role":"user","content":"write a parser"}],
                 "stream":true,"stream_options":{"include_usage":true}}""");

        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        JsonNode usage = TestGateway.parse(events.get(events.size() - 2).data());
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asLong()).isPositive();
    }

    @Test
    void streamBrokenMidwayEndsWithAnOpenAiErrorObject() throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-error.txt"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"x"}],"stream":true}""");

        List<SseEvent> events = TestGateway.events(response.body());
        JsonNode last = TestGateway.parse(events.getLast().data());
        assertOpenAiError(last, "api_error");
        assertThat(events).extracting(SseEvent::data).doesNotContain("[DONE]");
        assertThat(LedgerRows.forRequest(gateway, TestGateway.requestId(response)))
                .singleElement().extracting(LedgerRows.Row::status).isEqualTo("error");
    }

    @Test
    void upstreamFailureUsesOpenAisErrorShape() {
        openai.enqueue(OpenAiFixtures.json(429, "error-429.json").setHeader("Retry-After", "7"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"x"}]}""");

        assertThat(response.statusCode()).isEqualTo(502);
        assertOpenAiError(TestGateway.json(response), "api_error");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("no model", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 422, "model"),
                arguments("a number as model", "{\"model\":4,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                        422, "model"),
                arguments("no messages", "{\"model\":\"demo/monkey-demo\"}", 422, "messages"),
                arguments("empty messages", "{\"model\":\"demo/monkey-demo\",\"messages\":[]}", 422, "messages"),
                arguments("an unknown role",
                        "{\"model\":\"demo/monkey-demo\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                        422, "messages[0].role"),
                arguments("an image for a model without vision", """
                        {"model":"demo/monkey-demo","messages":[{"role":"user","content":[
                         {"type":"text","text":"what is this?"},
                         {"type":"image_url","image_url":{"url":"https://example.com/monkey.png"}}]}]}""",
                        422, "messages"),
                arguments("text as temperature",
                        "{\"model\":\"demo/monkey-demo\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                        422, "temperature"),
                arguments("text as stream",
                        "{\"model\":\"demo/monkey-demo\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                        422, "stream"),
                arguments("malformed JSON", "{\"model\":", 400, null),
                arguments("an unknown model",
                        "{\"model\":\"openai/gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void badRequestGetsOpenAisErrorShape(String what, String body, int status, String param) {
        HttpResponse<String> response = gateway.post(ROUTE, body);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = assertOpenAiError(TestGateway.json(response), "invalid_request_error");
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
        assertThat(LedgerRows.all(gateway)).isEmpty();
    }

    @Test
    void bodyOverOneMebibyteIsAnOpenAiInvalidRequest() {
        String body = "{\"model\":\"demo/monkey-demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(1024 * 1024) + "\"}]}";

        HttpResponse<String> response = gateway.post(ROUTE, body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertOpenAiError(TestGateway.json(response), "invalid_request_error");
        assertThat(LedgerRows.all(gateway)).isEmpty();
    }

    @Test
    void missingKeyIsAnOpenAiAuthenticationError() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","messages":[{"role":"user","content":"x"}]}""", Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertOpenAiError(TestGateway.json(response), "authentication_error");
    }

    @Test
    void xApiKeyHeaderAlsoAuthenticates() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","messages":[{"role":"user","content":"x"}]}""",
                Map.of("x-api-key", TestGateway.KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(response).path("object").asText()).isEqualTo("chat.completion");
    }

    /** OpenAI's error object: exactly message, type, param and code; returns it. */
    private static JsonNode assertOpenAiError(JsonNode body, String type) {
        JsonNode error = body.path("error");
        assertThat(body.size()).isEqualTo(1);
        assertThat(error.isObject()).as("an error object: %s", body).isTrue();
        assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
                .as("message, type, param and code: %s", error).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.has("statusCode")).as("not the native envelope").isFalse();
        return error;
    }
}
