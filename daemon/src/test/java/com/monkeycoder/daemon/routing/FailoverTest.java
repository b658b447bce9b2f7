package com.monkeycoder.daemon.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover, retries and circuit breakers against two fake OpenAI-compatible providers (Groq first, OpenAI
 * second, by a routing table given in the config file). Time is a hand-moved clock and retry pauses are
 * recorded, never slept.
 */
class FailoverTest {

    @TempDir
    Path home;

    private MockWebServer groq;
    private MockWebServer openai;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        groq = new MockWebServer();
        openai = new MockWebServer();
        groq.start();
        openai.start();
        java.nio.file.Files.createDirectories(home.resolve("config"));
        java.nio.file.Files.writeString(home.resolve("config/config.json"), """
                {"routing": {"default_class": "pair", "classes": {"pair": ["groq/llama-3.3-70b-versatile", "openai/gpt-4.1-mini"]}}}""");
    }

    private void startGateway(int maxAttempts, int breakerFailures) {
        gateway = TestGateway.start(home, Map.of(
                "GROQ_API_KEY", "gsk-test", "GROQ_BASE_URL", groq.url("/openai/v1").toString(),
                "OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "MONKEY_CODER_MAX_ATTEMPTS", Integer.toString(maxAttempts),
                "MONKEY_CODER_BREAKER_FAILURES", Integer.toString(breakerFailures),
                "MONKEY_CODER_BREAKER_COOLDOWN", "30"), Duration.ofMillis(500), clock, pauses::add);
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        groq.shutdown();
        openai.shutdown();
    }

    @Test
    void aFailingFirstProviderIsSkippedForTheSecondAndTheResponseSaysSo() throws Exception {
        startGateway(3, 5);
        groq.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"over capacity\"}}"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("provider_used").asText()).isEqualTo("openai");
        assertThat(body.path("attempts")).hasSize(2);
        assertThat(body.path("attempts").path(0).path("provider").asText()).isEqualTo("groq");
        assertThat(body.path("attempts").path(0).path("outcome").asText()).isEqualTo("upstream_error");
        assertThat(body.path("attempts").path(0).path("upstream_status").asInt()).isEqualTo(503);
        assertThat(body.path("attempts").path(1).path("outcome").asText()).isEqualTo("ok");
        assertThat(response.headers().firstValue("X-Monkey-Route").orElseThrow())
                .isEqualTo("openai/gpt-4.1-mini; attempts=2; failed=groq/llama-3.3-70b-versatile:upstream_error:503");
        assertThat(pauses).as("failing over to another provider does not wait").isEmpty();
        LedgerRow row = gateway.gateway().ledger().find(body.path("request_id").asText()).orElseThrow();
        assertThat(row.provider()).isEqualTo("openai");
        assertThat(gateway.gateway().ledger().count(body.path("request_id").asText())).isEqualTo(1);
    }

    @Test
    void aStreamFailsOverWhenTheFirstProviderBreaksBeforeItsFirstByte() throws Exception {
        startGateway(3, 5);
        groq.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream.txt"));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"provider\":\"openai\"").contains("event: done").doesNotContain("event: error");
        assertThat(response.headers().firstValue("X-Monkey-Route").orElseThrow()).startsWith("openai/gpt-4.1-mini; attempts=2");
    }

    @Test
    void aStreamThatBreaksAfterItsFirstByteEndsWithAnErrorAndIsNotRetried() throws Exception {
        startGateway(3, 5);
        String wire = OpenAiFixtures.text("chat-completion-stream.txt");
        String cut = wire.substring(0, wire.indexOf("\"content\":\" code\""));
        cut = cut.substring(0, cut.lastIndexOf("\n\n") + 2);
        groq.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(cut)
                .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"stream\":true}");

        assertThat(response.body()).contains("Monkeys").contains("event: error").doesNotContain("event: done");
        assertThat(openai.getRequestCount()).as("no silent retry once bytes were sent").isZero();
        assertThat(groq.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitedOnlyCandidateIsRetriedAfterItsRetryAfter() throws Exception {
        startGateway(3, 5);
        groq.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2")
                .setBody("{\"error\":{\"message\":\"slow down\"}}"));
        groq.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/execute",
                "{\"prompt\":\"hello\",\"preferred_providers\":[\"groq\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2));
        assertThat(TestGateway.json(response).path("attempts")).hasSize(2);
    }

    @Test
    void attemptsAreBoundedAndTheErrorListsThemAll() throws Exception {
        startGateway(3, 50);
        for (int i = 0; i < 5; i++) {
            groq.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
            openai.enqueue(new MockResponse().setResponseCode(502).setBody("{\"error\":{\"message\":\"bad gateway\"}}"));
        }

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = TestGateway.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("LLM_ERROR");
        assertThat(error.path("details").path("attempts")).hasSize(3);
        assertThat(groq.getRequestCount() + openai.getRequestCount()).isEqualTo(3);
        assertThat(pauses).as("the third call is a second round: it waits a backoff").hasSize(1);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(gateway.gateway().ledger().count(requestId)).isEqualTo(1);
    }

    @Test
    void aRefusedKeyFailsOverAtOnceAndIsNeverRetried() throws Exception {
        startGateway(3, 5);
        groq.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":{\"message\":\"Invalid API Key\"}}"));
        openai.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(groq.getRequestCount()).isEqualTo(1);
        assertThat(openai.getRequestCount()).isEqualTo(2);
    }

    @Test
    void theBreakerOpensSkipsTheProviderThenLetsOneProbeThroughAndClosesOnSuccess() throws Exception {
        startGateway(2, 2);
        // Two requests, each failing on groq and then served by openai: groq's breaker opens after the second.
        for (int i = 0; i < 2; i++) {
            groq.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
            openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
            assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hello\"}").statusCode()).isEqualTo(200);
        }
        assertThat(circuit("groq")).isEqualTo("open");

        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        HttpResponse<String> skipped = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");
        assertThat(TestGateway.json(skipped).path("provider_used").asText()).isEqualTo("openai");
        assertThat(groq.getRequestCount()).as("an open circuit is not called").isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(circuit("groq")).isEqualTo("half_open");
        groq.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        HttpResponse<String> probe = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");
        assertThat(TestGateway.json(probe).path("provider_used").asText()).isEqualTo("groq");
        assertThat(circuit("groq")).isEqualTo("closed");
    }

    @Test
    void whenEveryCircuitIsOpenTheGatewaySaysWhenToComeBack() throws Exception {
        startGateway(2, 1);
        groq.enqueue(new MockResponse().setResponseCode(500).setBody("{}"));
        openai.enqueue(new MockResponse().setResponseCode(500).setBody("{}"));
        assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hello\"}").statusCode()).isEqualTo(502);

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestGateway.json(response).path("error").path("details").path("reason").asText()).isEqualTo("circuit_open");
        assertThat(response.headers().firstValue("Retry-After").orElseThrow()).isEqualTo("30");
        assertThat(groq.getRequestCount() + openai.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aHungProviderTimesOutAndTheNextOneAnswers() throws Exception {
        startGateway(3, 5);
        groq.enqueue(new MockResponse().setHeadersDelay(3, java.util.concurrent.TimeUnit.SECONDS)
                .setBody("{}"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(response).path("attempts").path(0).path("outcome").asText()).isEqualTo("timeout");
    }

    @Test
    void aProvidersOwnTimeoutFromTheConfigFileWinsOverTheGatewayWideOne() throws Exception {
        java.nio.file.Files.writeString(home.resolve("config/config.json"), """
                {"routing": {"default_class": "pair", "classes": {"pair": ["groq/llama-3.3-70b-versatile", "openai/gpt-4.1-mini"]}},
                 "providers": {"groq": {"timeout_seconds": 1}}}""");
        gateway = TestGateway.start(home, Map.of(
                "GROQ_API_KEY", "gsk-test", "GROQ_BASE_URL", groq.url("/openai/v1").toString(),
                "OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "MONKEY_CODER_MAX_ATTEMPTS", "2"), Duration.ofSeconds(30), clock, pauses::add);
        groq.enqueue(new MockResponse().setHeadersDelay(4, java.util.concurrent.TimeUnit.SECONDS).setBody("{}"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode first = TestGateway.json(response).path("attempts").path(0);
        assertThat(first.path("outcome").asText()).isEqualTo("timeout");
        assertThat(first.path("latency_ms").asLong()).as("groq's own 1 s, not the gateway's 30 s").isLessThan(3_000);
    }

    private String circuit(String provider) {
        for (JsonNode p : TestGateway.json(gateway.get("/v1/providers")).path("providers")) {
            if (p.path("name").asText().equals(provider)) {
                return p.path("circuit").asText();
            }
        }
        throw new AssertionError("no provider " + provider);
    }
}
