package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored conversations on the local daemon, over HTTP: {@code session_id} on /v1/execute sends the history upstream
 * and appends the final answer, the routes list, show and delete, the window trims, failures store nothing.
 */
class SessionsRouteTest {

    static final String SESSION = "ses_localtest0001";
    static final String FIXTURE_ANSWER = "Monkeys write code one banana at a time.\n\nWant an example?";

    @TempDir
    Path home;

    MockWebServer openai;
    final List<JsonNode> upstream = new CopyOnWriteArrayList<>();
    final AtomicReference<Supplier<MockResponse>> answer =
            new AtomicReference<>(() -> OpenAiFixtures.json(200, "chat-completion.json"));
    TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                upstream.add(TestGateway.parse(request.getBody().readUtf8()));
                return answer.get().get();
            }
        });
        openai.start();
        // Messages of up to 256 KiB kept (the default is 64), so the window test's 160,000-character tasks stay whole.
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test-upstream-key-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString(), "MONKEY_CODER_SESSION_MESSAGE_MAX_KB", "256"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    HttpResponse<String> execute(String session, String prompt, String model, String extra) {
        return gateway.post("/v1/execute", "{\"prompt\":" + quote(prompt) + ",\"model\":\"" + model + "\"" + (session == null ? "" : ",\"session_id\":\"" + session + "\"")
                + (extra == null ? "" : "," + extra) + "}");
    }

    static String quote(String s) {
        return com.monkeycoder.shared.Json.write(s);
    }

    /** The user and assistant turns an upstream request carried, as "role: text". */
    static List<String> turns(JsonNode body) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            if (!m.path("role").asText().equals("system")) {
                out.add(m.path("role").asText() + ": " + m.path("content").asText());
            }
        }
        return out;
    }

    @Test
    void aSecondRequestInTheSessionSendsTheFirstExchangeUpstream() {
        HttpResponse<String> first = execute(SESSION, "write a parser", "openai/gpt-4o-mini", null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Monkey-Session")).hasValue(SESSION);
        assertThat(first.headers().firstValue("X-Monkey-History")).hasValue("kept=0 dropped=0");
        assertThat(TestGateway.json(first).path("session_id").asText()).isEqualTo(SESSION);

        HttpResponse<String> second = execute(SESSION, "now add a test", "openai/gpt-4o-mini", null);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Monkey-History")).hasValue("kept=2 dropped=0");
        assertThat(turns(upstream.get(1))).containsExactly("user: write a parser", "assistant: " + FIXTURE_ANSWER,
                "user: now add a test");
        assertThat(upstream.get(1).path("messages").path(0).path("role").asText())
                .as("the system prompt stays first").isEqualTo("system");
    }

    @Test
    void aRequestWithoutASessionNeitherSendsNorStoresHistory() {
        execute(SESSION, "write a parser", "openai/gpt-4o-mini", null);

        HttpResponse<String> plain = execute(null, "unrelated", "openai/gpt-4o-mini", null);

        assertThat(plain.headers().firstValue("X-Monkey-History")).isEmpty();
        assertThat(TestGateway.json(plain).has("session_id")).isFalse();
        assertThat(turns(upstream.get(1))).containsExactly("user: unrelated");
        assertThat(TestGateway.json(gateway.get("/v1/sessions/" + SESSION)).path("message_count").asInt()).isEqualTo(2);
    }

    @Test
    void aStreamedAnswerIsStoredAtItsEndWithTheAnsweringModel() {
        HttpResponse<String> streamed = execute(SESSION, "stream me a haiku", "demo/monkey-demo", "\"stream\":true");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("X-Monkey-Session")).hasValue(SESSION);
        String text = TestGateway.events(streamed.body()).stream().filter(e -> e.event().equals("delta"))
                .map(e -> TestGateway.parse(e.data()).path("content").asText()).reduce("", String::concat);

        JsonNode session = TestGateway.json(gateway.get("/v1/sessions/" + SESSION));

        assertThat(session.path("title").asText()).isEqualTo("stream me a haiku");
        assertThat(session.path("model").asText()).isEqualTo("demo/monkey-demo");
        assertThat(session.path("messages")).hasSize(2);
        assertThat(session.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(session.path("messages").path(0).path("content").asText()).isEqualTo("stream me a haiku");
        assertThat(session.path("messages").path(1).path("role").asText()).isEqualTo("assistant");
        assertThat(session.path("messages").path(1).path("content").asText()).isEqualTo(text);
        assertThat(session.path("messages").path(1).path("model").asText()).isEqualTo("demo/monkey-demo");
    }

    @Test
    void sessionsAreListedNewestFirstShownAndDeleted() {
        execute("ses_listing00001", "first conversation", "demo/monkey-demo", null);
        execute("ses_listing00002", "second conversation", "demo/monkey-demo", null);
        execute("ses_listing00001", "first again", "demo/monkey-demo", null);

        JsonNode list = TestGateway.json(gateway.get("/v1/sessions"));
        assertThat(list.path("sessions").findValuesAsText("id")).containsExactly("ses_listing00001", "ses_listing00002");
        assertThat(list.path("sessions").path(0).path("message_count").asInt()).isEqualTo(4);
        assertThat(list.path("sessions").path(0).path("title").asText()).isEqualTo("first conversation");
        assertThat(list.has("next_before")).isFalse();

        JsonNode page = TestGateway.json(gateway.get("/v1/sessions?limit=1"));
        assertThat(page.path("sessions").findValuesAsText("id")).containsExactly("ses_listing00001");
        JsonNode next = TestGateway.json(gateway.get("/v1/sessions?limit=1&before=" + page.path("next_before").asLong()));
        assertThat(next.path("sessions").findValuesAsText("id")).containsExactly("ses_listing00002");

        HttpResponse<String> deleted = gateway.delete("/v1/sessions/ses_listing00001", TestGateway.KEY);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(gateway.get("/v1/sessions/ses_listing00001").statusCode()).isEqualTo(404);
        assertThat(gateway.delete("/v1/sessions/ses_listing00001", TestGateway.KEY).statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(gateway.get("/v1/sessions")).path("sessions").findValuesAsText("id"))
                .containsExactly("ses_listing00002");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"ses_short\"", "\"ses_has/slash1\"", "\"ses_has space1\"", "\"SES_uppercase01\"",
            "\"ses_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "42", "{}", "\"\""})
    void aMalformedSessionIdIs422NamingTheField(String value) {
        HttpResponse<String> r = gateway.post("/v1/execute",
                "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\",\"session_id\":" + value + "}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode error = TestGateway.json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asText()).isEqualTo("session_id");
        assertThat(upstream).isEmpty();
    }

    @Test
    void malformedIdsOnTheRoutesAreNotFoundAndListParametersAreChecked() {
        assertThat(gateway.get("/v1/sessions/not-a-session").statusCode()).isEqualTo(404);
        assertThat(gateway.delete("/v1/sessions/not-a-session", TestGateway.KEY).statusCode()).isEqualTo(404);
        assertThat(gateway.get("/v1/sessions?limit=0").statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/sessions?limit=101").statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/sessions?before=yesterday").statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/sessions", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aFailedUpstreamRequestStoresNothing() {
        answer.set(() -> OpenAiFixtures.json(500, "error-500.json"));

        HttpResponse<String> failed = execute(SESSION, "this will fail", "openai/gpt-4o-mini", null);

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(gateway.get("/v1/sessions/" + SESSION).statusCode()).as("no conversation was created").isEqualTo(404);

        answer.set(() -> OpenAiFixtures.json(200, "chat-completion.json"));
        execute(SESSION, "this works", "openai/gpt-4o-mini", null);
        answer.set(() -> OpenAiFixtures.json(500, "error-500.json"));
        execute(SESSION, "this fails again", "openai/gpt-4o-mini", null);

        JsonNode session = TestGateway.json(gateway.get("/v1/sessions/" + SESSION));
        assertThat(session.path("messages").findValuesAsText("content")).containsExactly("this works", FIXTURE_ANSWER);
    }

    @Test
    void aToolCallRoundTripIsNotStoredOnlyTheFinalAnswerWithItsTask() {
        String tools = "\"tools\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}]";
        answer.set(() -> OpenAiFixtures.json(200, "chat-completion-tool-calls.json"));
        HttpResponse<String> asks = execute(SESSION, "what is the weather?", "openai/gpt-4o-mini", tools);
        assertThat(TestGateway.json(asks).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(gateway.get("/v1/sessions/" + SESSION).statusCode()).isEqualTo(404);

        JsonNode call = TestGateway.json(asks).path("parts").path(0);
        answer.set(() -> OpenAiFixtures.json(200, "chat-completion.json"));
        HttpResponse<String> done = gateway.post("/v1/execute", "{\"model\":\"openai/gpt-4o-mini\",\"session_id\":\""
                + SESSION + "\"," + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"what is the weather?\"},"
                + "{\"role\":\"assistant\",\"content\":[" + call + "]},{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_result\",\"call_id\":" + quote(call.path("id").asText()) + ",\"content\":\"sunny\"}]}]}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);

        JsonNode session = TestGateway.json(gateway.get("/v1/sessions/" + SESSION));
        assertThat(session.path("messages").findValuesAsText("content"))
                .containsExactly("what is the weather?", FIXTURE_ANSWER);
    }

    @Test
    void historyIsCutToTheContextWindowOldestPairsFirst() {
        // gpt-4o-mini: a 128,000-token window, 16,384 output tokens at most. Each task is about 40,000 tokens, so
        // with a 16,384 cap only two of three stored pairs fit beside a fourth request.
        String big = "a".repeat(160_000);
        execute(SESSION, "T1 " + big, "openai/gpt-4o-mini", null);
        execute(SESSION, "T2 " + big, "openai/gpt-4o-mini", null);
        execute(SESSION, "T3 " + big, "openai/gpt-4o-mini", null);

        HttpResponse<String> fourth = execute(SESSION, "T4", "openai/gpt-4o-mini", "\"model_config\":{\"max_tokens\":16384}");

        assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(200);
        assertThat(fourth.headers().firstValue("X-Monkey-History")).hasValue("kept=4 dropped=2");
        List<String> sent = turns(upstream.getLast());
        assertThat(sent).hasSize(5);
        assertThat(sent.get(0)).startsWith("user: T2 ");
        assertThat(sent.get(2)).startsWith("user: T3 ");
        assertThat(sent.get(4)).isEqualTo("user: T4");
        assertThat(sent.get(1)).isEqualTo("assistant: " + FIXTURE_ANSWER);
    }

    @Test
    void aCachedAnswerIsNeverOneOfAnotherConversationsHistoryNorStored() {
        String deterministic = "\"model_config\":{\"temperature\":0}";
        execute("ses_cachealpha01", "alpha", "demo/monkey-demo", deterministic);
        HttpResponse<String> twin = execute("ses_cachealpha02", "alpha", "demo/monkey-demo", deterministic);
        execute("ses_cachebeta001", "beta", "demo/monkey-demo", deterministic);

        // The same request is served from the cache, and a free answer adds nothing to storage.
        assertThat(twin.headers().firstValue("X-Monkey-Cache")).hasValue("HIT");
        assertThat(gateway.get("/v1/sessions/ses_cachealpha02").statusCode()).isEqualTo(404);

        HttpResponse<String> onAlpha = execute("ses_cachealpha01", "next", "demo/monkey-demo", deterministic);
        HttpResponse<String> onBeta = execute("ses_cachebeta001", "next", "demo/monkey-demo", deterministic);

        assertThat(onAlpha.headers().firstValue("X-Monkey-Cache")).hasValue("MISS");
        assertThat(onBeta.headers().firstValue("X-Monkey-Cache")).as("another history, another answer").hasValue("MISS");
    }

    @Test
    void theLedgerRowNamesTheSession() throws Exception {
        HttpResponse<String> r = execute(SESSION, "hello", "demo/monkey-demo", null);

        LedgerRow row = gateway.gateway().ledger().find(TestGateway.requestId(r)).orElseThrow();
        assertThat(row.sessionId()).isEqualTo(SESSION);
    }

    @Test
    void theConfiguredCapsPruneMessagesConversationsAndCutLongTexts(@TempDir Path otherHome) {
        try (TestGateway capped = TestGateway.start(otherHome, Map.of("MONKEY_CODER_SESSION_MAX_MESSAGES", "4",
                "MONKEY_CODER_SESSIONS_PER_USER", "2", "MONKEY_CODER_SESSION_MESSAGE_MAX_KB", "1"))) {
            for (String task : List.of("one", "two", "three " + "x".repeat(3_000))) {
                assertThat(capped.post("/v1/execute", "{\"prompt\":" + quote(task)
                        + ",\"model\":\"demo/monkey-demo\",\"session_id\":\"ses_capped000001\"}").statusCode()).isEqualTo(200);
            }
            JsonNode session = TestGateway.json(capped.get("/v1/sessions/ses_capped000001"));
            assertThat(session.path("message_count").asInt()).isEqualTo(4);
            assertThat(session.path("messages").findValuesAsText("seq")).containsExactly("2", "3", "4", "5");
            assertThat(session.path("messages").path(0).path("content").asText()).isEqualTo("two");
            String cut = session.path("messages").path(2).path("content").asText();
            assertThat(cut).startsWith("three xxx").endsWith("[truncated]");
            assertThat(cut.length()).isLessThanOrEqualTo(1024);

            for (String id : List.of("ses_capped000002", "ses_capped000003")) {
                capped.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\",\"session_id\":\"" + id + "\"}");
            }
            assertThat(TestGateway.json(capped.get("/v1/sessions")).path("sessions").findValuesAsText("id"))
                    .containsExactly("ses_capped000003", "ses_capped000002");
        }
    }
}
