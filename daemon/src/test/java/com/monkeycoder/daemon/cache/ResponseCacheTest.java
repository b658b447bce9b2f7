package com.monkeycoder.daemon.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache through a real gateway: hits, bypass rules, TTL, persistence, single flight, replayed streams. */
@Timeout(60)
class ResponseCacheTest {

    private static final String DETERMINISTIC = """
            {"prompt":"say hello","model":"openai/gpt-4.1-mini","model_config":{"temperature":0}}""";

    @TempDir
    Path home;

    private MockWebServer openai;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = startGateway();
    }

    private TestGateway startGateway() {
        return TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "MONKEY_CODER_CACHE_TTL", "600"), Duration.ofSeconds(10), clock, Sleeper.REAL);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void aSecondDeterministicRequestIsAHitWithNoUpstreamCallAndACachedLedgerRow() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        HttpResponse<String> first = gateway.post("/v1/execute", DETERMINISTIC);
        HttpResponse<String> second = gateway.post("/v1/execute", DETERMINISTIC);

        assertThat(first.headers().firstValue("X-Monkey-Cache")).contains("MISS");
        assertThat(second.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        assertThat(openai.getRequestCount()).isEqualTo(1);
        JsonNode hit = TestGateway.json(second);
        assertThat(hit.path("cached").asBoolean()).isTrue();
        assertThat(hit.path("content").asText()).isEqualTo(TestGateway.json(first).path("content").asText());
        assertThat(hit.path("usage").path("cost_usd").asDouble()).isZero();
        LedgerRow row = gateway.gateway().ledger().find(hit.path("request_id").asText()).orElseThrow();
        assertThat(row.cached()).isTrue();
        assertThat(row.costMicros()).isZero();
        assertThat(row.completionTokens()).isEqualTo(14);
        assertThat(gateway.get("/metrics").body())
                .contains("monkey_cache_requests_total{result=\"hit\"} 1")
                .contains("monkey_cache_requests_total{result=\"miss\"} 1");
    }

    @Test
    void requestsThatAreNotDeterministicOrOptOutAreNeverServedFromCache() throws Exception {
        for (int i = 0; i < 4; i++) {
            openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        }
        String sampled = "{\"prompt\":\"say hello\",\"model\":\"openai/gpt-4.1-mini\"}";
        gateway.post("/v1/execute", sampled);
        HttpResponse<String> again = gateway.post("/v1/execute", sampled);
        assertThat(again.headers().firstValue("X-Monkey-Cache")).isEmpty();

        String optOut = "{\"prompt\":\"say hello\",\"model\":\"openai/gpt-4.1-mini\",\"use_cache\":false,\"model_config\":{\"temperature\":0}}";
        gateway.post("/v1/execute", optOut);
        gateway.post("/v1/execute", optOut);

        assertThat(openai.getRequestCount()).isEqualTo(4);
    }

    @Test
    void noStoreBypassesAndNoCacheFetchesAfreshButStores() throws Exception {
        for (int i = 0; i < 2; i++) {
            openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        }
        HttpResponse<String> noStore = gateway.post("/v1/execute", DETERMINISTIC,
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Cache-Control", "no-store"));
        assertThat(noStore.headers().firstValue("X-Monkey-Cache")).isEmpty();

        HttpResponse<String> noCache = gateway.post("/v1/execute", DETERMINISTIC,
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Cache-Control", "no-cache"));
        assertThat(noCache.headers().firstValue("X-Monkey-Cache")).contains("MISS");

        HttpResponse<String> plain = gateway.post("/v1/execute", DETERMINISTIC);
        assertThat(plain.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        assertThat(openai.getRequestCount()).isEqualTo(2);
    }

    @Test
    void useCacheTrueCachesASampledRequest() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        String asked = "{\"prompt\":\"say hello\",\"model\":\"openai/gpt-4.1-mini\",\"use_cache\":true}";

        gateway.post("/v1/execute", asked);
        HttpResponse<String> second = gateway.post("/v1/execute", asked);

        assertThat(second.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        assertThat(openai.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anAnswerExpiresAfterItsTtl() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        gateway.post("/v1/execute", DETERMINISTIC);

        clock.advance(Duration.ofSeconds(601));
        HttpResponse<String> expired = gateway.post("/v1/execute", DETERMINISTIC);

        assertThat(expired.headers().firstValue("X-Monkey-Cache")).contains("MISS");
        assertThat(openai.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRestartedDaemonStillAnswersFromCache() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        String content = TestGateway.json(gateway.post("/v1/execute", DETERMINISTIC)).path("content").asText();
        gateway.close();

        gateway = startGateway();
        HttpResponse<String> afterRestart = gateway.post("/v1/execute", DETERMINISTIC);

        assertThat(afterRestart.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        assertThat(TestGateway.json(afterRestart).path("content").asText()).isEqualTo(content);
        assertThat(openai.getRequestCount()).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalRequestsMakeOneUpstreamCall() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json").setBodyDelay(700, TimeUnit.MILLISECONDS));
        int n = 8;
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> gateway.post("/v1/execute", DETERMINISTIC));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                responses.add(f.get());
            }
        }

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(responses.stream().filter(r -> r.headers().firstValue("X-Monkey-Cache").orElse("").equals("HIT")))
                .hasSize(n - 1);
        JsonNode usage = TestGateway.json(gateway.get("/v1/billing/usage")).path("totals");
        assertThat(usage.path("requests").asLong()).isEqualTo(n);
        assertThat(usage.path("cached_requests").asLong()).isEqualTo(n - 1);
    }

    @Test
    void aStreamingHitIsReplayedAsANormalStream() throws Exception {
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        String content = TestGateway.json(gateway.post("/v1/execute", DETERMINISTIC)).path("content").asText();

        HttpResponse<String> stream = gateway.post("/v1/execute", DETERMINISTIC.replace("}}", "},\"stream\":true}"));

        assertThat(stream.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        List<SseEvent> events = TestGateway.events(stream.body());
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.event().equals("delta"))
                .forEach(e -> text.append(TestGateway.parse(e.data()).path("content").asText()));
        assertThat(events.stream().filter(e -> e.event().equals("delta")).count()).isGreaterThan(1);
        assertThat(text.toString()).isEqualTo(content);
        JsonNode done = TestGateway.parse(events.getLast().data());
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(done.path("cached").asBoolean()).isTrue();
        assertThat(openai.getRequestCount()).isEqualTo(1);
    }
}
