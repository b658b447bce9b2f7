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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many requests at once, whole and streamed, native and OpenAI-compatible: all answered, each billed once. */
class ConcurrentRequestsTest {

    private static final int REQUESTS = 50;

    @TempDir
    Path home;

    private TestGateway gateway;

    @BeforeEach
    void start() {
        // A small pause between demo chunks keeps the streams in flight together.
        gateway = TestGateway.start(home, Map.of("MONKEY_CODER_DEMO_DELAY_MS", "2"));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void fiftyConcurrentDemoRequestsAllSucceedWithOneLedgerRowEach() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> requestIds = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                int k = i;
                requestIds.add(clients.submit(() -> {
                    go.await();
                    return send(k);
                }));
            }
            go.countDown();
        }

        List<String> ids = new ArrayList<>();
        for (Future<String> f : requestIds) {
            ids.add(f.get());
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(REQUESTS);
        for (String id : ids) {
            assertThat(gateway.gateway().ledger().count(id)).as("rows for %s", id).isEqualTo(1);
        }
        List<LedgerRows.Row> rows = LedgerRows.all(gateway);
        assertThat(rows).hasSize(REQUESTS).allSatisfy(row -> {
            assertThat(row.status()).isEqualTo("ok");
            assertThat(row.provider()).isEqualTo("demo");
            assertThat(row.completionTokens()).isPositive();
        });
        assertThat(rows).extracting(LedgerRows.Row::route).containsOnly("execute", "chat_completions");
        JsonNode totals = TestGateway.json(gateway.get("/v1/billing/usage")).path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(REQUESTS);
        assertThat(totals.path("errors").asLong()).isZero();
    }

    /** Request {@code k}: native or OpenAI-compatible, whole or streamed, by its number; returns its request id. */
    private String send(int k) {
        boolean stream = k % 2 == 0;
        boolean native_ = k % 4 < 2;
        String prompt = "task number " + k;
        HttpResponse<String> response = native_
                ? gateway.post("/v1/execute", """
                        {"prompt":"%s","model":"demo/monkey-demo","stream":%s}""".formatted(prompt, stream))
                : gateway.post("/v1/chat/completions", """
                        {"model":"demo/monkey-demo","stream":%s,"messages":[{"role":"user","content":"%s"}]}"""
                        .formatted(stream, prompt));
        assertThat(response.statusCode()).as("request %d: %s", k, response.body()).isEqualTo(200);
        if (!stream) {
            JsonNode body = TestGateway.json(response);
            String content = native_ ? body.path("content").asText()
                    : body.path("choices").path(0).path("message").path("content").asText();
            assertThat(content).as("request %d got its own answer", k).contains(prompt);
        } else {
            List<SseEvent> events = TestGateway.events(response.body());
            if (native_) {
                assertThat(events.getLast().event()).isEqualTo("done");
                StringBuilder text = new StringBuilder();
                events.stream().filter(e -> e.event().equals("delta"))
                        .forEach(e -> text.append(TestGateway.parse(e.data()).path("content").asText()));
                assertThat(text.toString()).contains(prompt);
            } else {
                assertThat(events.getLast().data()).isEqualTo("[DONE]");
            }
        }
        return TestGateway.requestId(response);
    }
}
