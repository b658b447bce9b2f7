package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.sse.SseReader;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/execute} end to end: a real gateway, the demo, and a fake OpenAI upstream. */
class ExecuteRouteTest {

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-upstream-key-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void demoAnswersWholeAndSaysItIsTheDemo() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"create a REST API","model":"demo/monkey-demo"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("content").asText()).contains("Monkey Coder offline demo").contains("create a REST API");
        assertThat(body.path("provider_used").asText()).isEqualTo("demo");
        assertThat(body.path("model_used").asText()).isEqualTo("monkey-demo");
        assertThat(body.path("usage").path("completion_tokens").asLong()).isPositive();
        assertThat(body.path("request_id").asText()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(gateway.gateway().ledger().count(body.path("request_id").asText())).isEqualTo(1);
    }

    @Test
    void demoStreamsTheSameAnswerAsEventsEndingWithDone() throws Exception {
        String whole = TestGateway.json(gateway.post("/v1/execute", """
                {"prompt":"write a parser","preferred_providers":["demo"]}""")).path("content").asText();

        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"write a parser","preferred_providers":["demo"],"stream":true}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<SseEvent> events = events(response.body());
        assertThat(events.getFirst().event()).isEqualTo("start");
        assertThat(events.getLast().event()).isEqualTo("done");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.event().equals("delta"))
                .forEach(e -> text.append(TestGateway.parse((e.data())).path("content").asText()));
        assertThat(text.toString()).isEqualTo(whole);
        JsonNode done = TestGateway.parse((events.getLast().data()));
        assertThat(gateway.gateway().ledger().count(done.path("request_id").asText())).isEqualTo(1);
    }

    @Test
    void openAiAnswerIsBilledFromTheUsageItReports() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        JsonNode fixture = TestGateway.parse((OpenAiFixtures.text("chat-completion.json")));

        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"say hello","model":"openai/gpt-4.1-mini","model_config":{"temperature":0.2,"max_tokens":50}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("content").asText())
                .isEqualTo(fixture.path("choices").path(0).path("message").path("content").asText());
        long prompt = fixture.path("usage").path("prompt_tokens").asLong();
        long completion = fixture.path("usage").path("completion_tokens").asLong();
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(body.path("usage").path("completion_tokens").asLong()).isEqualTo(completion);
        // gpt-4.1-mini: $0.40 in, $1.60 out per million tokens, each line rounded half up to a micro-dollar.
        long expectedMicros = (prompt * 400_000 + 500_000) / 1_000_000 + (completion * 1_600_000 + 500_000) / 1_000_000;
        assertThat(Math.round(body.path("usage").path("cost_usd").asDouble() * 1_000_000)).isEqualTo(expectedMicros);

        RecordedRequest upstream = openai.takeRequest(1, TimeUnit.SECONDS);
        assertThat(upstream.getPath()).isEqualTo("/v1/chat/completions");
        JsonNode sent = TestGateway.parse((upstream.getBody().readUtf8()));
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").path(1).path("content").asText()).isEqualTo("say hello");
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(50);
    }

    @Test
    void openAiStreamReachesTheClientAndItsUsageTheLedger() throws Exception {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"say hello","model":"openai/gpt-4.1-mini","stream":true}""");

        List<SseEvent> events = events(response.body());
        assertThat(events).extracting(SseEvent::event).contains("start", "delta", "done");
        JsonNode done = TestGateway.parse((events.getLast().data()));
        assertThat(done.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(done.path("usage").path("prompt_tokens").asLong()).isEqualTo(24);
        assertThat(done.path("usage").path("completion_tokens").asLong()).isEqualTo(9);
        JsonNode usage = TestGateway.json(gateway.get("/v1/billing/usage"));
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(1);
        assertThat(usage.path("totals").path("prompt_tokens").asLong()).isEqualTo(24);
        assertThat(usage.path("by_model").path(0).path("key").asText()).isEqualTo("openai/gpt-4.1-mini");
    }

    @Test
    void upstreamServerErrorIsLlmErrorWithItsStatusAndARow() throws Exception {
        openai.enqueue(OpenAiFixtures.json(500, "error-500.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"openai/gpt-4.1-mini"}""");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = TestGateway.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("LLM_ERROR");
        assertThat(error.path("statusCode").asInt()).isEqualTo(502);
        assertThat(error.path("details").path("upstream_status").asInt()).isEqualTo(500);
        assertThat(error.path("details").path("attempts").path(0).path("provider").asText()).isEqualTo("openai");
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(gateway.gateway().ledger().count(requestId)).isEqualTo(1);
        assertThat(TestGateway.json(gateway.get("/v1/billing/usage")).path("totals").path("errors").asLong()).isEqualTo(1);
    }

    @Test
    void refusedProviderKeyIsNeverShown() {
        openai.enqueue(OpenAiFixtures.json(401, "error-401.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"openai/gpt-4.1-mini"}""");

        assertThat(response.statusCode()).isEqualTo(502);
        // The local daemon's keys are its user's: the message says which variable to fix.
        JsonNode error = TestGateway.json(response).path("error");
        assertThat(error.path("message").asText()).isEqualTo("openai refused the API key in OPENAI_API_KEY (HTTP 401): "
                + "check OPENAI_API_KEY, then restart the daemon with it (monkey daemon start --restart)");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("provider_key_refused");
        assertThat(response.body()).doesNotContain("sk-test-upstream-key-0000").doesNotContain("0000\"");
    }

    static List<SseEvent> events(String body) {
        return TestGateway.events(body);
    }
}
