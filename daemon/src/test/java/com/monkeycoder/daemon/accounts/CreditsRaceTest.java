package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.providers.TokenEstimator;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.wire.ChatMessage;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many requests racing for the last credit: exactly the ones the balance covers get through, and it never goes negative. */
class CreditsRaceTest {

    private static final String PROMPT = "tell me a joke";
    private static final int MAX_TOKENS = 500;

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(SharedStores.Engine.class)
    void fiftyConcurrentRequestsForTheLastCreditAdmitExactlyOne(SharedStores.Engine engine) throws Exception {
        MockWebServer openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return OpenAiFixtures.json(200, "chat-completion.json");
            }
        });
        openai.start();
        try (SharedStores stores = SharedStores.create(engine, home);
             TestGateway gateway = TestGateway.startShared(home, stores, Map.of("OPENAI_API_KEY", "sk-test-0000",
                     "OPENAI_BASE_URL", openai.url("/v1").toString()), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")))) {
            JsonNode account = TestGateway.json(gateway.post("/v1/auth/register",
                    "{\"email\":\"race@example.com\",\"password\":\"correct horse battery\"}", (String) null));
            String key = account.path("api_key").asText();
            ModelEntry model = ModelCatalog.builtIn().model("openai", "gpt-4.1-mini").orElseThrow();
            long hold = model.costMicros(TokenEstimator.estimate(com.monkeycoder.daemon.conversation.ConversationRequest.of("gpt-4.1-mini", List.of(com.monkeycoder.daemon.conversation.Message.user(PROMPT)), null, MAX_TOKENS)), MAX_TOKENS);
            gateway.gateway().accounts().setCredits(account.path("user_id").asText(), hold); // the last credit: one request's worth

            List<HttpResponse<String>> responses = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1-mini\",\"max_tokens\":"
                                + MAX_TOKENS + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}", key);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> f : futures) {
                    responses.add(f.get());
                }
            }

            assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
            assertThat(responses).filteredOn(r -> r.statusCode() == 402).hasSize(49);
            assertThat(openai.getRequestCount()).isEqualTo(1);
            try (Connection c = gateway.gateway().database().connection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT credit_micros FROM accounts")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(hold - 33).isNotNegative();
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM credit_holds")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("every hold settled or given back").isZero();
                }
            }
        } finally {
            openai.shutdown();
        }
    }
}
