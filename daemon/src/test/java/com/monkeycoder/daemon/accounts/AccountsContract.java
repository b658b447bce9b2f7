package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts, keys, revocation, expiry, tiers, 402 and 429 on a shared gateway, written once and run against each
 * engine ({@link SqliteAccountsTest}, {@link PostgresAccountsTest}), both with the real Redis for limits.
 */
abstract class AccountsContract {

    static final String PRICED_MODEL = "openai/gpt-4.1-mini";

    @TempDir
    Path home;

    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    MockWebServer openai;
    TestGateway gateway;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() throws IOException {
        stores = SharedStores.create(engine(), home);
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getBody().snapshot().utf8().contains("\"stream\":true")
                        ? OpenAiFixtures.eventStream("chat-completion-stream.txt")
                        : OpenAiFixtures.json(200, "chat-completion.json");
            }
        });
        openai.start();
        gateway = TestGateway.startShared(home, stores, Map.of(
                "OPENAI_API_KEY", "sk-test-upstream-key-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()), clock);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        stores.close();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    JsonNode register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    HttpResponse<String> demo(String key) {
        return gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", key);
    }

    HttpResponse<String> priced(String key, int maxTokens) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + PRICED_MODEL + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"tell me a joke\"}]}", key);
    }

    String createKey(String key, String body) {
        HttpResponse<String> r = gateway.post("/v1/auth/keys", body, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    long balance(String key) {
        return TestGateway.json(gateway.get("/usage", key)).path("credit_micros").asLong();
    }

    // --- accounts ------------------------------------------------------------------------------------------

    @Test
    void registerAnswersWithAFirstLiveKeyOnTheFreeTierAndStarterCredits() {
        JsonNode body = register("Ada@Example.com");

        assertThat(body.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(body.path("tier").asText()).isEqualTo("free");
        assertThat(body.path("user_id").asText()).startsWith("usr_");
        assertThat(body.path("key_id").asText()).startsWith("key_");
        assertThat(body.path("api_key").asText()).startsWith("mk-live-").hasSize("mk-live-".length() + 43);
        assertThat(body.path("credit_micros").asLong()).isEqualTo(1_000_000);

        JsonNode usage = TestGateway.json(gateway.get("/usage", body.path("api_key").asText()));
        assertThat(usage.path("tier").asText()).isEqualTo("free");
        assertThat(usage.path("requests_limit").asLong()).isEqualTo(100);
        assertThat(usage.path("monthly_limit").asLong()).isEqualTo(3_000);
        assertThat(usage.path("credit_micros").asLong()).isEqualTo(1_000_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"password\":\"correct horse battery\"}|email",
            "{\"email\":\"not-an-email\",\"password\":\"correct horse battery\"}|email",
            "{\"email\":42,\"password\":\"correct horse battery\"}|email",
            "{\"email\":\"a@example.com\"}|password",
            "{\"email\":\"a@example.com\",\"password\":\"short\"}|password"})
    void registerRefusesBadFieldsWith422NamingThem(String json, String field) {
        HttpResponse<String> r = gateway.post("/v1/auth/register", json, (String) null);

        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode error = TestGateway.json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asText()).isEqualTo(field);
    }

    @Test
    void aTakenEmailIs422OnTheEmailField() {
        register("bob@example.com");

        HttpResponse<String> again = gateway.post("/v1/auth/register",
                "{\"email\":\"BOB@example.com\",\"password\":\"another password\"}", (String) null);

        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(TestGateway.json(again).path("error").path("details").path("field").asText()).isEqualTo("email");
    }

    @Test
    void loginGivesANewWorkingKeyAndAWrongPasswordIs401() {
        JsonNode registered = register("carol@example.com");

        HttpResponse<String> ok = gateway.post("/v1/auth/login",
                "{\"email\":\"carol@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        HttpResponse<String> wrong = gateway.post("/v1/auth/login",
                "{\"email\":\"carol@example.com\",\"password\":\"wrong horse battery\"}", (String) null);
        HttpResponse<String> nobody = gateway.post("/v1/auth/login",
                "{\"email\":\"nobody@example.com\",\"password\":\"correct horse battery\"}", (String) null);

        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode session = TestGateway.json(ok);
        assertThat(session.path("user_id").asText()).isEqualTo(registered.path("user_id").asText());
        assertThat(session.path("api_key").asText()).startsWith("mk-live-").isNotEqualTo(registered.path("api_key").asText());
        assertThat(demo(session.path("api_key").asText()).statusCode()).isEqualTo(200);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(nobody.statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(wrong).path("error").path("message").asText())
                .isEqualTo(TestGateway.json(nobody).path("error").path("message").asText());
    }

    @Test
    void loginsAreThrottledPerEmailWith429AndRetryAfter() {
        register("dave@example.com");
        String wrong = "{\"email\":\"dave@example.com\",\"password\":\"not the password\"}";
        for (int i = 0; i < AccountService.LOGINS_PER_EMAIL; i++) {
            assertThat(gateway.post("/v1/auth/login", wrong, (String) null).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> throttled = gateway.post("/v1/auth/login",
                "{\"email\":\"dave@example.com\",\"password\":\"correct horse battery\"}", (String) null);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        clock.advance(AccountService.LOGIN_WINDOW);
        assertThat(gateway.post("/v1/auth/login",
                "{\"email\":\"dave@example.com\",\"password\":\"correct horse battery\"}", (String) null).statusCode())
                .isEqualTo(200);
    }

    // --- keys ----------------------------------------------------------------------------------------------

    @Test
    void keysAreListedWithPrefixNameAndTimesButNeverTheKey() {
        JsonNode account = register("erin@example.com");
        String first = account.path("api_key").asText();
        clock.advance(Duration.ofMinutes(1));
        String second = createKey(first, "{\"name\":\"ci\",\"expires_in_days\":30}");
        clock.advance(Duration.ofMinutes(1));
        assertThat(demo(second).statusCode()).isEqualTo(200);

        HttpResponse<String> r = gateway.get("/v1/auth/keys", first);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(first).doesNotContain(second);
        JsonNode keys = TestGateway.json(r).path("keys");
        assertThat(keys).hasSize(2);
        JsonNode ci = keys.get(0);
        assertThat(ci.path("name").asText()).isEqualTo("ci");
        assertThat(ci.path("prefix").asText()).startsWith("mk-live-").isEqualTo(second.substring(0, 12) + "…");
        assertThat(ci.path("created_at").asText()).isEqualTo("2026-01-15T10:01:00Z");
        assertThat(ci.path("last_used_at").asText()).isEqualTo("2026-01-15T10:02:00Z");
        assertThat(ci.path("expires_at").asText()).isEqualTo("2026-02-14T10:01:00Z");
        assertThat(ci.path("status").asText()).isEqualTo("active");
        assertThat(keys.get(1).path("id").asText()).isEqualTo(account.path("key_id").asText());
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndOthersKeepWorking() {
        JsonNode account = register("frank@example.com");
        String keep = account.path("api_key").asText();
        HttpResponse<String> created = gateway.post("/v1/auth/keys", "{\"name\":\"laptop\"}", keep);
        String doomed = TestGateway.json(created).path("api_key").asText();
        String doomedId = TestGateway.json(created).path("key_id").asText();
        assertThat(demo(doomed).statusCode()).isEqualTo(200); // now in the auth cache

        HttpResponse<String> revoked = gateway.delete("/v1/auth/keys/" + doomedId, keep);

        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(demo(doomed).statusCode()).isEqualTo(401);
        assertThat(demo(keep).statusCode()).isEqualTo(200);
        assertThat(gateway.delete("/v1/auth/keys/" + doomedId, keep).statusCode()).isEqualTo(404);
        JsonNode listed = TestGateway.json(gateway.get("/v1/auth/keys", keep)).path("keys");
        assertThat(listed.findValuesAsText("status")).containsExactlyInAnyOrder("revoked", "active");
    }

    @Test
    void anotherAccountsKeyCannotBeRevoked() {
        String mine = register("gina@example.com").path("api_key").asText();
        JsonNode theirs = register("hank@example.com");

        HttpResponse<String> r = gateway.delete("/v1/auth/keys/" + theirs.path("key_id").asText(), mine);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(demo(theirs.path("api_key").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredKeyIsRefused() {
        String first = register("iris@example.com").path("api_key").asText();
        String shortLived = createKey(first, "{\"name\":\"tmp\",\"expires_in_days\":1}");
        assertThat(demo(shortLived).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(1));

        assertThat(demo(shortLived).statusCode()).isEqualTo(401);
        assertThat(demo(first).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"expires_in_days\":0}|expires_in_days",
            "{\"expires_in_days\":\"soon\"}|expires_in_days",
            "{\"name\":\"\"}|name",
            "{\"requests_per_hour\":101}|requests_per_hour"})
    void keyCreationRefusesBadFields(String json, String field) {
        String key = register("jack@example.com").path("api_key").asText();

        HttpResponse<String> r = gateway.post("/v1/auth/keys", json, key);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(TestGateway.json(r).path("error").path("details").path("field").asText()).isEqualTo(field);
    }

    @Test
    void wrongOrMissingKeysAre401() {
        assertThat(gateway.get("/v1/auth/keys", null).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/v1/auth/keys", "mk-live-0000000000000000000000000000000000000000000").statusCode())
                .isEqualTo(401);
        assertThat(demo(TestGateway.KEY).statusCode()).as("the local daemon's key means nothing here").isEqualTo(401);
    }

    // --- limits --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("past the hourly limit: 429 with Retry-After and RateLimit-* headers; the next hour admits again")
    void hourlyLimitAnswers429WithHeaders() {
        String first = register("kate@example.com").path("api_key").asText();
        String key = createKey(first, "{\"requests_per_hour\":3}");
        clock.advance(Duration.ofMinutes(20)); // 10:20, 40 minutes before the window resets

        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> ok = demo(key);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Limit")).hasValue("3");
            assertThat(ok.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(3 - i));
            assertThat(ok.headers().firstValue("RateLimit-Reset")).hasValue("2400");
        }
        HttpResponse<String> refused = demo(key);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2400");
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        JsonNode error = TestGateway.json(refused).path("error");
        assertThat(error.path("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(error.path("details").path("reset_at").asText()).isEqualTo("2026-01-15T11:00:00Z");
        JsonNode usage = TestGateway.json(gateway.get("/usage", key));
        assertThat(usage.path("requests_used").asLong()).isEqualTo(3);
        assertThat(usage.path("requests_remaining").asLong()).isZero();
        assertThat(usage.path("window_reset").asText()).isEqualTo("2026-01-15T11:00:00Z");
        assertThat(demo(first).statusCode()).as("the account's other key counts apart").isEqualTo(200);

        clock.advance(Duration.ofMinutes(40));
        assertThat(demo(key).statusCode()).isEqualTo(200);
    }

    @Test
    void theAnthropicRouteTakesXApiKeyAndAnswers429InAnthropicsShape() {
        String first = register("kim@example.com").path("api_key").asText();
        String key = createKey(first, "{\"requests_per_hour\":1}");
        String body = "{\"model\":\"demo/monkey-demo\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> ok = gateway.post("/v1/messages", body, Map.of("x-api-key", key));
        HttpResponse<String> refused = gateway.post("/v1/messages", body, Map.of("x-api-key", key));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonNode error = TestGateway.json(refused);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void anExhaustedMonthlyQuotaIs402UntilTheMonthTurns() {
        String first = register("liam@example.com").path("api_key").asText();
        String key = createKey(first, "{\"requests_per_month\":2}");

        assertThat(demo(key).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        assertThat(demo(key).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> refused = demo(key);

        assertThat(refused.statusCode()).isEqualTo(402);
        JsonNode error = TestGateway.json(refused).path("error");
        assertThat(error.path("code").asText()).isEqualTo("PAYMENT_REQUIRED");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("monthly_quota");
        clock.advance(Duration.ofDays(17)); // into February
        assertThat(demo(key).statusCode()).isEqualTo(200);
    }

    @Test
    void theAccountsTierSetsItsLimits() throws Exception {
        JsonNode account = register("mia@example.com");
        String key = account.path("api_key").asText();
        assertThat(TestGateway.json(gateway.get("/usage", key)).path("requests_limit").asLong()).isEqualTo(100);

        gateway.gateway().accounts().setTier(account.path("user_id").asText(), Tier.PRO);
        clock.advance(Duration.ofMinutes(1)); // past the auth cache

        JsonNode usage = TestGateway.json(gateway.get("/usage", key));
        assertThat(usage.path("tier").asText()).isEqualTo("pro");
        assertThat(usage.path("requests_limit").asLong()).isEqualTo(1_000);
        assertThat(usage.path("monthly_limit").asLong()).isEqualTo(30_000);
    }

    // --- credits -------------------------------------------------------------------------------------------

    @Test
    void creditsAreChargedTheLedgersCostExactly() throws Exception {
        String key = register("nora@example.com").path("api_key").asText();

        HttpResponse<String> r = priced(key, 200);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        long cost = gateway.gateway().ledger().find(requestId).orElseThrow().costMicros();
        assertThat(cost).isEqualTo(33); // 27 tokens in at $0.40/M and 14 out at $1.60/M
        assertThat(balance(key)).isEqualTo(1_000_000 - cost);
    }

    @Test
    void aStreamedAnswerIsChargedItsRowsCostOnce() throws Exception {
        String key = register("nick@example.com").path("api_key").asText();

        HttpResponse<String> r = gateway.post("/v1/execute", "{\"prompt\":\"tell me a joke\",\"model\":\"" + PRICED_MODEL
                + "\",\"stream\":true,\"model_config\":{\"max_tokens\":300}}", key);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestGateway.events(r.body()).getLast().event()).isEqualTo("done");
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        long cost = gateway.gateway().ledger().find(requestId).orElseThrow().costMicros();
        assertThat(cost).isEqualTo(24); // 24 tokens in at $0.40/M (10) and 9 out at $1.60/M (14)
        assertThat(balance(key)).isEqualTo(1_000_000 - cost);
    }

    @Test
    void withoutEnoughCreditsAPricedModelIs402AndAFreeOneStillAnswers() throws Exception {
        JsonNode account = register("oscar@example.com");
        String key = account.path("api_key").asText();
        gateway.gateway().accounts().setCredits(account.path("user_id").asText(), 50);

        HttpResponse<String> refused = priced(key, 1_000); // may cost up to 1,000 x $1.60/M = $0.0016

        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.body()).contains("insufficient_quota"); // OpenAI's shape on the OpenAI route
        assertThat(openai.getRequestCount()).isZero();
        assertThat(balance(key)).isEqualTo(50);
        assertThat(demo(key).statusCode()).isEqualTo(200);
        HttpResponse<String> native402 = gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"" + PRICED_MODEL
                + "\",\"model_config\":{\"max_tokens\":1000}}", key);
        assertThat(native402.statusCode()).isEqualTo(402);
        JsonNode error = TestGateway.json(native402).path("error");
        assertThat(error.path("code").asText()).isEqualTo("PAYMENT_REQUIRED");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("credits");
        assertThat(error.path("details").path("balance_micros").asLong()).isEqualTo(50);
    }

    @Test
    void aFailedUpstreamCallGivesItsHoldBack() throws Exception {
        String key = register("paul@example.com").path("api_key").asText();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return OpenAiFixtures.json(500, "error-500.json");
            }
        });

        assertThat(priced(key, 500).statusCode()).isEqualTo(502);

        assertThat(balance(key)).isEqualTo(1_000_000);
    }

    // --- usage ---------------------------------------------------------------------------------------------

    @Test
    void billingUsageShowsOnlyTheCallersOwnRequestsByKey() {
        JsonNode a = register("quinn@example.com");
        JsonNode b = register("rita@example.com");
        String a2 = createKey(a.path("api_key").asText(), "{\"name\":\"second\"}");
        assertThat(demo(a.path("api_key").asText()).statusCode()).isEqualTo(200);
        assertThat(demo(a2).statusCode()).isEqualTo(200);
        assertThat(demo(a2).statusCode()).isEqualTo(200);
        assertThat(demo(b.path("api_key").asText()).statusCode()).isEqualTo(200);

        JsonNode report = TestGateway.json(gateway.get("/v1/billing/usage?days=1", a.path("api_key").asText()));

        assertThat(report.path("totals").path("requests").asLong()).isEqualTo(3);
        assertThat(report.path("by_key").findValuesAsText("key")).hasSize(2).contains(a.path("key_id").asText());
        assertThat(report.path("by_key").findValues("requests")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(1L, 2L);
        assertThat(report.path("by_day").path(0).path("key").asText()).isEqualTo("2026-01-15");
        JsonNode other = TestGateway.json(gateway.get("/v1/billing/usage?days=1", b.path("api_key").asText()));
        assertThat(other.path("totals").path("requests").asLong()).isEqualTo(1);
    }
}
