package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/responses} through the real gateway with the offline demo provider: the Response object, the
 * event stream Codex reads, and OpenAI-shaped errors.
 */
class ResponsesRouteTest {

    private static final String ROUTE = "/v1/responses";

    @TempDir
    Path home;

    private TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void wholeResponseFromTheDemoProvider() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","store":false,"input":[
                  {"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"be brief"}]},
                  {"type":"message","id":"msg_2","role":"user","content":[{"type":"input_text","text":"create a REST API"}]}],
                 "include":["reasoning.encrypted_content"],"prompt_cache_key":"k"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("id").asText()).startsWith("resp_");
        assertThat(body.path("object").asText()).isEqualTo("response");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("model").asText()).isEqualTo("demo/monkey-demo");
        JsonNode message = body.path("output").path(0);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").path(0).path("text").asText()).contains("offline demo");
        assertThat(body.path("usage").path("output_tokens").asLong()).isPositive();
        assertThat(body.path("usage").path("total_tokens").asLong())
                .isEqualTo(body.path("usage").path("input_tokens").asLong() + body.path("usage").path("output_tokens").asLong());
    }

    @Test
    void streamEndsWithResponseCompletedCarryingTheText() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","stream":true,"input":"create a REST API"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<SseEvent> events = TestGateway.events(response.body());
        List<String> names = events.stream().map(SseEvent::event).toList();
        assertThat(names).startsWith("response.created", "response.in_progress", "response.output_item.added")
                .contains("response.output_text.delta", "response.output_item.done").endsWith("response.completed");
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = TestGateway.parse(events.get(i).data());
            assertThat(data.path("type").asText()).isEqualTo(names.get(i));
            assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = TestGateway.parse(events.getLast().data()).path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output").path(0).path("content").path(0).path("text").asText()).contains("offline demo");
        assertThat(completed.path("usage").has("input_tokens_details")).isTrue();
    }

    @Test
    void storeTrueIs400InOpenAisErrorShape() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","store":true,"input":"hi"}""");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = openAiError(response);
        assertThat(error.path("param").asText()).isEqualTo("store");
        assertThat(error.path("message").asText()).contains("stateless");
        assertThat(LedgerRows.all(gateway)).isEmpty();
    }

    @Test
    void anUnknownItemTypeIs422NamingIt() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","input":[{"type":"item_reference","id":"x"}]}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(openAiError(response).path("param").asText()).isEqualTo("input[0].type");
    }

    @Test
    void aMissingModelIs422NamingIt() {
        HttpResponse<String> response = gateway.post(ROUTE, "{\"input\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(openAiError(response).path("param").asText()).isEqualTo("model");
    }

    /** OpenAI's error object, {@code {"error":{"message","type","param","code"}}}, of an invalid request. */
    private static JsonNode openAiError(HttpResponse<String> response) {
        JsonNode error = TestGateway.json(response).path("error");
        assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
                .as("message, type, param and code: %s", error).isTrue();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        return error;
    }
}
