package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, "Money": on a shared gateway with real PostgreSQL, a fake OpenAI that writes at length (and reports
 * 50,000 output tokens) whenever a request reaches it without an output cap, and bills 1,000 prompt tokens however
 * short the prompt, so every answer costs more than its hold.
 */
class CreditsOverrunTest {

    private static final long STARTER = 1_000_000; // $1.00, the default starter credit
    private static final String MODEL = "openai/gpt-4.1"; // $2 in, $8 out per million

    @TempDir
    Path home;

    private SharedStores stores;
    private MockWebServer openai;
    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws Exception {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        openai = new MockWebServer();
    }

    @AfterEach
    void stop() throws Exception {
        openai.shutdown();
        stores.close();
    }

    /** The output tokens the fake writes: the cap it was given, or 50,000 when it was given none. */
    private static long outputFor(JsonNode body) {
        JsonNode cap = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        return cap == null || cap.isNull() ? 50_000 : cap.asLong();
    }

    private static MockResponse completion(long output) {
        String json = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4.1\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + "words ".repeat(200)
                + "\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":" + output
                + ",\"total_tokens\":" + (1000 + output) + "}}";
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(json);
    }

    private TestGateway gateway(Map<String, String> extra, Duration upstreamTimeout) throws Exception {
        openai.start();
        Map<String, String> env = new HashMap<>(extra);
        env.put("OPENAI_API_KEY", "sk-test-0000");
        env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
        return TestGateway.startShared(home, stores, env, new MutableClock(Instant.parse("2026-01-15T10:00:00Z")),
                upstreamTimeout);
    }

    private static String register(TestGateway gateway, String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    private static HttpResponse<String> ask(TestGateway gateway, String key, String extra) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + MODEL + "\"" + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"write me a very long story\"}]}", key);
    }

    private static long scalar(TestGateway gateway, String sql) throws Exception {
        try (Connection c = gateway.gateway().database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void fortyUncappedRequestsOnTheStarterCreditAreCappedAndBilledInFull() throws Exception {
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode body = TestGateway.parse(request.getBody().readUtf8());
                received.add(body);
                return completion(outputFor(body));
            }
        });
        try (TestGateway gateway = gateway(Map.of("MONKEY_CODER_MAX_OPEN_HOLDS", "64"), Duration.ofSeconds(10))) {
            String key = register(gateway, "spender@example.com");

            List<HttpResponse<String>> responses = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(40)) {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return ask(gateway, key, "");
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> f : futures) {
                    responses.add(f.get());
                }
            }
            long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
            long refused = responses.stream().filter(r -> r.statusCode() == 402).count();
            assertThat(ok + refused).as("every request answered or refused for credits").isEqualTo(40);

            // Every upstream call carried the cap that was held (the reserve's 4,096; gpt-4.1 gives up to 32,768).
            assertThat(received).hasSize((int) ok);
            assertThat(received).allSatisfy(b -> assertThat(b.path("max_completion_tokens").asLong()).isEqualTo(4096));

            // Spend until the balance refuses the next hold: then 402, never an answer on credit.
            HttpResponse<String> next = ask(gateway, key, "");
            for (int i = 0; i < 40 && next.statusCode() == 200; i++) {
                next = ask(gateway, key, "");
            }
            assertThat(next.statusCode()).as(next.body()).isEqualTo(402);
            assertThat(TestGateway.json(next).path("error").path("message").asText()).startsWith("not enough credits");

            long balance = scalar(gateway, "SELECT credit_micros FROM accounts");
            long billed = scalar(gateway, "SELECT COALESCE(SUM(cost_micros), 0) FROM ledger");
            long rows = scalar(gateway, "SELECT COUNT(*) FROM ledger");
            assertThat(rows).isEqualTo(received.size());
            assertThat(STARTER - balance).as("every ledger row debited in full, nothing written off").isEqualTo(billed);
            assertThat(scalar(gateway, "SELECT COUNT(*) FROM credit_holds")).isZero();
            long perRequest = 1000 * 2 + 4096 * 8; // 1,000 prompt tokens at $2/M + 4,096 output at $8/M, in micros
            assertThat(billed).isEqualTo(rows * perRequest);
            System.out.printf("40 concurrent uncapped requests: %d answered, %d refused (402); after %d answers in"
                            + " all: billed $%.6f, balance $%.6f, written off $0%n", ok, refused, rows, billed / 1e6,
                    balance / 1e6);
        }
    }

    @Test
    void anAccountMayHaveOnlySoManyRequestsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(2);
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                arrived.countDown();
                release.await(20, TimeUnit.SECONDS);
                return completion(outputFor(TestGateway.parse(request.getBody().readUtf8())));
            }
        });
        try (TestGateway gateway = gateway(Map.of("MONKEY_CODER_MAX_OPEN_HOLDS", "2"), Duration.ofSeconds(30))) {
            String key = register(gateway, "busy@example.com");
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Future<HttpResponse<String>> first = pool.submit(() -> ask(gateway, key, ",\"max_tokens\":100"));
                Future<HttpResponse<String>> second = pool.submit(() -> ask(gateway, key, ",\"max_tokens\":100"));
                assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

                HttpResponse<String> third = ask(gateway, key, ",\"max_tokens\":100");

                assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
                assertThat(third.headers().firstValue("Retry-After")).isPresent();
                JsonNode error = TestGateway.json(third).path("error");
                assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
                assertThat(error.path("message").asText()).contains("2 requests running", "the most at once is 2");
                release.countDown();
                assertThat(first.get().statusCode()).isEqualTo(200);
                assertThat(second.get().statusCode()).isEqualTo(200);
            }
            assertThat(ask(gateway, key, ",\"max_tokens\":100").statusCode()).as("a slot is free again").isEqualTo(200);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStreamTheClientLeavesBillsTheUsageTheProviderReported() throws Exception {
        // Some text, then a usage report (as providers that report usage early do), then a long tail the client
        // never reads: the reasoning the provider reported is billed, not only the few visible words.
        StringBuilder sse = new StringBuilder();
        sse.append(chunk("{\"role\":\"assistant\",\"content\":\"Once upon\"}", null));
        sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":3000,\"total_tokens\":4200,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":2900}}}\n\n");
        for (int i = 0; i < 2000; i++) {
            sse.append(chunk("{\"content\":\" and on\"}", null));
        }
        sse.append(chunk("{}", "\"stop\"")).append("data: [DONE]\n\n");
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "text/event-stream")
                        .setChunkedBody(new Buffer().writeUtf8(sse.toString()), 256)
                        .throttleBody(1024, 50, TimeUnit.MILLISECONDS);
            }
        });
        try (TestGateway gateway = gateway(Map.of(), Duration.ofSeconds(10))) {
            String key = register(gateway, "leaver@example.com");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"a story\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String requestId = TestGateway.requestId(r);
            try (InputStream body = r.body()) {
                StringBuilder seen = new StringBuilder();
                byte[] buf = new byte[512];
                while (!seen.toString().contains("Once upon")) {
                    int read = body.read(buf);
                    assertThat(read).as("the stream ended early: " + seen).isPositive();
                    seen.append(new String(buf, 0, read, StandardCharsets.UTF_8));
                }
                Thread.sleep(500); // the usage report reaches the gateway
            }
            http.shutdownNow();

            long[] row = awaitRow(gateway, requestId);
            assertThat(row[0]).as("prompt tokens").isEqualTo(1200);
            assertThat(row[1]).as("completion tokens, reasoning included").isEqualTo(3000);
            assertThat(row[2]).as("cost").isEqualTo(1200 * 2 + 3000 * 8);
            assertThat(STARTER - scalar(gateway, "SELECT credit_micros FROM accounts")).isEqualTo(1200 * 2 + 3000 * 8);
        }
    }

    @Test
    void aWholeAnswerThatTimesOutAfterItWasSentBillsTheWorstCaseHeld() throws Exception {
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return completion(10).setHeadersDelay(5, TimeUnit.SECONDS);
            }
        });
        try (TestGateway gateway = gateway(Map.of(), Duration.ofSeconds(1))) {
            String key = register(gateway, "slow@example.com");
            HttpResponse<String> r = ask(gateway, key, ",\"max_tokens\":1000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(504);

            long[] row = awaitRow(gateway, TestGateway.requestId(r));
            assertThat(row[1]).as("the cap the provider was sent").isEqualTo(1000);
            assertThat(row[2]).isPositive();
            assertThat(STARTER - scalar(gateway, "SELECT credit_micros FROM accounts")).isEqualTo(row[2]);
        }
    }

    @Test
    void aStreamLongerThanTheLongestAllowedEndsWithAnErrorEventAndItsRow() throws Exception {
        StringBuilder sse = new StringBuilder();
        sse.append(chunk("{\"role\":\"assistant\",\"content\":\"tick\"}", null));
        for (int i = 0; i < 400; i++) {
            sse.append(chunk("{\"content\":\" tick\"}", null));
        }
        sse.append(chunk("{}", "\"stop\"")).append("data: [DONE]\n\n");
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // about 40 KB at 4 KB a second: ten seconds, never silent long enough for the read timeout
                return new MockResponse().setHeader("Content-Type", "text/event-stream")
                        .setChunkedBody(new Buffer().writeUtf8(sse.toString()), 256)
                        .throttleBody(1024, 250, TimeUnit.MILLISECONDS);
            }
        });
        try (TestGateway gateway = gateway(Map.of("MONKEY_CODER_MAX_STREAM_SECONDS", "1"), Duration.ofSeconds(5))) {
            String key = register(gateway, "longstream@example.com");
            long started = System.nanoTime();
            HttpResponse<String> r = gateway.post("/v1/chat/completions", "{\"model\":\"" + MODEL + "\",\"stream\":true,"
                    + "\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"tick\"}]}", key);
            long took = (System.nanoTime() - started) / 1_000_000;

            assertThat(took).as("ended near the 1 s limit, not after the upstream's 10 s").isLessThan(5_000);
            assertThat(r.body()).contains("max_stream_seconds");
            String status = null;
            try (Connection c = gateway.gateway().database().connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT status, completion_tokens FROM ledger WHERE request_id = ?")) {
                ps.setString(1, TestGateway.requestId(r));
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    status = rs.getString(1);
                    assertThat(rs.getLong(2)).as("nothing reported: the cap held is billed").isEqualTo(500);
                }
            }
            assertThat(status).isEqualTo("error");
        }
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** prompt tokens, completion tokens and cost of the request's row, once it is written. */
    private static long[] awaitRow(TestGateway gateway, String requestId) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Connection c = gateway.gateway().database().connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT prompt_tokens, completion_tokens, cost_micros FROM ledger WHERE request_id = ?")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ledger row for " + requestId);
    }

    static {
        Json.mapper(); // loaded once, before the threads race
    }
}
