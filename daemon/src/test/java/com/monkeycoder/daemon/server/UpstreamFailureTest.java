package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream fails in each way a real provider does (429, silence, a cut stream, garbage): the client gets the
 * documented error, a stream ends with an {@code error} event after what did arrive, and each failed request
 * leaves exactly one ledger row.
 */
class UpstreamFailureTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-0000";
    private static final String STREAM = "chat-completion-stream.txt";
    private static final String EXECUTE = """
            {"prompt":"say hello","model":"openai/gpt-4.1-mini"}""";
    private static final String EXECUTE_STREAM = """
            {"prompt":"say hello","model":"openai/gpt-4.1-mini","stream":true}""";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void startUpstream() throws IOException {
        openai = new MockWebServer();
        openai.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        openai.shutdown();
    }

    private TestGateway gateway() {
        return gateway(Duration.ofSeconds(10));
    }

    private TestGateway gateway(Duration upstreamTimeout) {
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()), upstreamTimeout);
        return gateway;
    }

    @Test
    void upstreamRateLimitIsLlmErrorPassingOnItsRetryAfter() {
        gateway();
        openai.enqueue(OpenAiFixtures.json(429, "error-429.json").setHeader("Retry-After", "7"));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE);

        JsonNode details = assertEnvelope(response, 502, "LLM_ERROR");
        assertThat(details.path("upstream_status").asInt()).isEqualTo(429);
        assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("rate_limited");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY);
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", 429);
    }

    @Test
    void upstreamRateLimitOnAStreamIsAnsweredBeforeAnyEvent() {
        gateway();
        openai.enqueue(OpenAiFixtures.json(429, "error-429.json").setHeader("Retry-After", "7"));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        JsonNode details = assertEnvelope(response, 502, "LLM_ERROR");
        assertThat(details.path("upstream_status").asInt()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", 429);
    }

    @Test
    void upstreamThatSendsNoHeadersInTimeIsGatewayTimeout() {
        gateway(Duration.ofMillis(300));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json").setHeadersDelay(2, TimeUnit.SECONDS));

        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        JsonNode details = assertEnvelope(response, 504, "GATEWAY_TIMEOUT");
        assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("timeout");
        assertThat(tookMs).as("answered on the gateway's timeout, not the upstream's delay").isLessThan(2_000);
        assertOneErrorRow(TestGateway.requestId(response), "GATEWAY_TIMEOUT", null);
    }

    @Test
    void upstreamWhoseBodyStallsIsGatewayTimeout() {
        gateway(Duration.ofMillis(300));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json").setBodyDelay(2, TimeUnit.SECONDS));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE);

        assertEnvelope(response, 504, "GATEWAY_TIMEOUT");
        assertOneErrorRow(TestGateway.requestId(response), "GATEWAY_TIMEOUT", null);
    }

    @Test
    void streamThatStallsAfterItsFirstChunksEndsWithATimeoutEvent() {
        gateway(Duration.ofMillis(300));
        byte[] body = OpenAiFixtures.bytes(STREAM);
        int firstTwoEvents = prefixOfEvents(3).length;
        openai.enqueue(OpenAiFixtures.eventStreamWithLength(body).throttleBody(firstTwoEvents, 2, TimeUnit.SECONDS));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(deltas(events)).isEqualTo("Monkeys write");
        assertThat(events.getLast().event()).isEqualTo("error");
        assertEnvelope(events.getLast().data(), 504, "GATEWAY_TIMEOUT");
        assertOneErrorRow(TestGateway.requestId(response), "GATEWAY_TIMEOUT", null);
    }

    @Test
    void streamThatEndsBeforeItsFinishEndsWithAnErrorEventAfterTheDeltasThatArrived() {
        gateway();
        openai.enqueue(OpenAiFixtures.eventStreamWithLength(prefixOfEvents(4)));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events).extracting(SseEvent::event)
                .containsExactly("start", "delta", "delta", "delta", "error");
        assertThat(deltas(events)).isEqualTo("Monkeys write code");
        JsonNode details = assertEnvelope(events.getLast().data(), 502, "LLM_ERROR");
        assertThat(details.path("provider").asText()).isEqualTo("openai");
        LedgerRows.Row row = assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);
        assertThat(row.completionTokens()).as("the partial answer is billed by estimate").isPositive();
        assertThat(row.estimated()).isTrue();
    }

    @Test
    void connectionDroppedMidStreamEndsWithAnErrorEventAfterTheDeltasThatArrived() {
        gateway();
        openai.enqueue(OpenAiFixtures.eventStreamWithLength(OpenAiFixtures.bytes(STREAM))
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events.getFirst().event()).isEqualTo("start");
        assertThat(events).extracting(SseEvent::event).doesNotContain("done");
        assertThat(events.getLast().event()).isEqualTo("error");
        assertThat(events.subList(1, events.size() - 1)).extracting(SseEvent::event).containsOnly("delta");
        assertThat("Monkeys write code one banana at a time.").startsWith(deltas(events));
        assertEnvelope(events.getLast().data(), 502, "LLM_ERROR");
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);
    }

    @Test
    void malformedUpstreamEventEndsTheStreamWithAnErrorEventAndTheDaemonStaysHealthy() {
        gateway();
        byte[] garbage = "data: {\"choices\":[{\"delta\":{\"content\": oops}\n\n".getBytes(StandardCharsets.UTF_8);
        openai.enqueue(OpenAiFixtures.eventStream(concat(prefixOfEvents(2), garbage)));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events).extracting(SseEvent::event).containsExactly("start", "delta", "error");
        JsonNode details = assertEnvelope(events.getLast().data(), 502, "LLM_ERROR");
        assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("bad_response");
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);

        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        openai.enqueue(OpenAiFixtures.eventStream(STREAM));
        List<SseEvent> next = TestGateway.events(gateway.post("/v1/execute", EXECUTE_STREAM).body());
        assertThat(next.getLast().event()).isEqualTo("done");
    }

    @Test
    void errorReportedInsideAStreamEndsItWithAnErrorEvent() {
        gateway();
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-error.txt"));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE_STREAM);

        List<SseEvent> events = TestGateway.events(response.body());
        assertThat(events).extracting(SseEvent::event).containsExactly("start", "delta", "error");
        assertEnvelope(events.getLast().data(), 502, "LLM_ERROR");
        assertThat(TestGateway.parse(events.getLast().data()).path("error").path("message").asText())
                .contains("The server had an error");
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);
    }

    @Test
    void malformedWholeAnswerIsLlmError() {
        gateway();
        openai.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody(new Buffer().writeUtf8("<html>502 Bad Gateway</html>")));

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE);

        JsonNode details = assertEnvelope(response, 502, "LLM_ERROR");
        assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("bad_response");
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);
    }

    @Test
    void unreachableUpstreamIsLlmError() throws IOException {
        gateway();
        openai.shutdown();

        HttpResponse<String> response = gateway.post("/v1/execute", EXECUTE);

        JsonNode details = assertEnvelope(response, 502, "LLM_ERROR");
        assertThat(details.path("attempts").path(0).path("outcome").asText()).isEqualTo("network");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY);
        assertOneErrorRow(TestGateway.requestId(response), "LLM_ERROR", null);
    }

    @Test
    void upstreamServerErrorIsCountedAsAnErrorInUsage() {
        gateway();
        openai.enqueue(OpenAiFixtures.json(500, "error-500.json"));
        openai.enqueue(OpenAiFixtures.json(429, "error-429.json"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        assertThat(gateway.post("/v1/execute", EXECUTE).statusCode()).isEqualTo(502);
        assertThat(gateway.post("/v1/execute", EXECUTE).statusCode()).isEqualTo(502);
        assertThat(gateway.post("/v1/execute", EXECUTE).statusCode()).isEqualTo(200);

        JsonNode totals = TestGateway.json(gateway.get("/v1/billing/usage")).path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(3);
        assertThat(totals.path("errors").asLong()).isEqualTo(2);
        assertThat(totals.path("prompt_tokens").asLong()).as("refused requests bill no tokens").isEqualTo(27);
        assertThat(LedgerRows.all(gateway)).extracting(LedgerRows.Row::upstreamStatus)
                .containsExactlyInAnyOrder(500, 429, null);
    }

    private LedgerRows.Row assertOneErrorRow(String requestId, String errorCode, Integer upstreamStatus) {
        try {
            assertThat(gateway.gateway().ledger().count(requestId)).isEqualTo(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, requestId);
        assertThat(rows).hasSize(1);
        LedgerRows.Row row = rows.getFirst();
        assertThat(row.status()).isEqualTo("error");
        assertThat(row.errorCode()).isEqualTo(errorCode);
        assertThat(row.upstreamStatus()).isEqualTo(upstreamStatus);
        assertThat(row.provider()).isEqualTo("openai");
        assertThat(row.model()).isEqualTo("gpt-4.1-mini");
        assertThat(LedgerRows.all(gateway)).as("no other row was written").hasSize(1);
        return row;
    }

    /** The first {@code n} events of the stream fixture, each with its blank line. */
    private static byte[] prefixOfEvents(int n) {
        String text = OpenAiFixtures.text(STREAM);
        int end = 0;
        for (int i = 0; i < n; i++) {
            end = text.indexOf("\n\n", end) + 2;
        }
        return text.substring(0, end).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String deltas(List<SseEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.event().equals("delta"))
                .forEach(e -> text.append(TestGateway.parse(e.data()).path("content").asText()));
        return text.toString();
    }
}
