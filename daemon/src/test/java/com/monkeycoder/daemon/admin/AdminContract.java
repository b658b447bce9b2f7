package com.monkeycoder.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles, the admin routes and key limits on a shared gateway, written once and run on each engine
 * ({@link SqliteAdminTest}, {@link PostgresAdminTest}) with the real Redis. The first admin comes from
 * {@code MONKEY_CODER_ADMIN_EMAIL}/{@code _PASSWORD} at start, as an operator would make it.
 */
abstract class AdminContract {

    static final String ROOT = "root@example.com";
    static final String PASSWORD = "correct horse battery";
    static final String PRICED_MODEL = "openai/gpt-4.1-mini";

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    MockWebServer openai;
    TestGateway gateway;
    String admin;
    String adminId;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() throws IOException {
        stores = SharedStores.create(engine(), home);
        openai = new MockWebServer();
        for (int i = 0; i < 5; i++) {
            openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        }
        openai.start();
        gateway = TestGateway.startShared(home, stores, Map.of(
                "OPENAI_API_KEY", "sk-test-upstream-key-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "MONKEY_CODER_ADMIN_EMAIL", ROOT,
                "MONKEY_CODER_ADMIN_PASSWORD", PASSWORD), clock);
        JsonNode root = login(ROOT);
        admin = root.path("api_key").asText();
        adminId = root.path("user_id").asText();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        stores.close();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    JsonNode register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    HttpResponse<String> loginResponse(String email) {
        return gateway.post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                (String) null);
    }

    JsonNode login(String email) {
        HttpResponse<String> r = loginResponse(email);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    HttpResponse<String> demo(String key) {
        return gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", key);
    }

    HttpResponse<String> send(String method, String path, String json, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return gateway.send(b.build());
    }

    long balance(String key) {
        return TestGateway.json(gateway.get("/usage", key)).path("credit_micros").asLong();
    }

    String createKey(String key, String body) {
        HttpResponse<String> r = gateway.post("/v1/auth/keys", body, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    static JsonNode error(HttpResponse<String> r) {
        return TestGateway.json(r).path("error");
    }

    // --- roles ---------------------------------------------------------------------------------------------

    @Test
    void theAdminFromTheEnvironmentLogsInWithTheAdminScopeAndTheAuditLogSaysTheSystemMadeIt() {
        assertThat(login(ROOT).path("scopes")).extracting(JsonNode::asText).contains("admin");
        assertThat(register("user@example.com").path("scopes")).extracting(JsonNode::asText).doesNotContain("admin");

        JsonNode events = TestGateway.json(gateway.get("/v1/audit?action=admin_created", admin)).path("events");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("system");
            assertThat(e.path("account_id").asText()).isEqualTo(adminId);
        });
    }

    // --- credits -------------------------------------------------------------------------------------------

    @Test
    void anAdminAddsAndRemovesCreditsWithAReasonAndTheBalanceAndAuditLogShowIt() {
        JsonNode user = register("ada@example.com");
        String id = user.path("user_id").asText();

        HttpResponse<String> added = gateway.post("/v1/admin/accounts/" + id + "/credits",
                "{\"amount_usd\":5.00,\"reason\":\"support ticket 1234\"}", admin);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(TestGateway.json(added).path("credit_micros").asLong()).isEqualTo(6_000_000);
        HttpResponse<String> removed = gateway.post("/v1/admin/accounts/" + id + "/credits",
                "{\"amount_usd\":\"-2.50\",\"reason\":\"refunded twice\"}", admin);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);

        assertThat(balance(user.path("api_key").asText())).isEqualTo(3_500_000);
        // The account's owner sees who changed its balance, and why, in its own audit log.
        JsonNode own = TestGateway.json(gateway.get("/v1/audit?action=credits_added", user.path("api_key").asText()));
        assertThat(own.path("events")).filteredOn(e -> !e.path("details").path("kind").asText().equals("starter"))
                .singleElement().satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo(adminId);
            assertThat(e.path("account_id").asText()).isEqualTo(id);
            assertThat(e.path("details").path("reason").asText()).isEqualTo("support ticket 1234");
            assertThat(e.path("details").path("amount_micros").asLong()).isEqualTo(5_000_000);
        });
        JsonNode all = TestGateway.json(gateway.get("/v1/audit?action=credits_removed&account=" + id, admin));
        assertThat(all.path("events")).singleElement().satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo(adminId);
            assertThat(e.path("details").path("reason").asText()).isEqualTo("refunded twice");
            assertThat(e.path("details").path("amount_micros").asLong()).isEqualTo(-2_500_000);
        });
        JsonNode detail = TestGateway.json(gateway.get("/v1/admin/accounts/" + id, admin));
        assertThat(detail.path("credit_history")).filteredOn(a -> a.path("kind").asText().equals("admin")).hasSize(2);
        assertThat(detail.path("credit_history")).filteredOn(a -> !a.path("kind").asText().equals("admin"))
                .allSatisfy(a -> assertThat(a.path("kind").asText()).isEqualTo("starter"));
        assertThat(detail.toString()).doesNotContain("password");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"amount_usd\":5}|reason",
            "{\"amount_usd\":5,\"reason\":\"   \"}|reason",
            "{\"amount_usd\":0,\"reason\":\"x\"}|amount_usd",
            "{\"amount_usd\":1000000,\"reason\":\"x\"}|amount_usd",
            "{\"amount_usd\":0.0000001,\"reason\":\"x\"}|amount_usd",
            "{\"amount_usd\":\"five\",\"reason\":\"x\"}|amount_usd",
            "{\"reason\":\"x\"}|amount_usd",
            "{\"amount_usd\":1,\"reason\":\"line\\nbreak\"}|reason"})
    void aCreditChangeWithoutAReasonOrWithAnAbsurdAmountIs422(String body, String field) {
        String id = register("bad@example.com").path("user_id").asText();

        HttpResponse<String> r = gateway.post("/v1/admin/accounts/" + id + "/credits", body, admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(error(r).path("details").path("field").asText()).isEqualTo(field);
    }

    @Test
    void aReasonLongerThan500CharactersIsRefusedAndAnUnknownAccountIs404() {
        String id = register("long@example.com").path("user_id").asText();
        assertThat(gateway.post("/v1/admin/accounts/" + id + "/credits",
                "{\"amount_usd\":1,\"reason\":\"" + "x".repeat(501) + "\"}", admin).statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/admin/accounts/usr_nobody/credits", "{\"amount_usd\":1,\"reason\":\"x\"}", admin)
                .statusCode()).isEqualTo(404);
    }

    // --- scope ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET|/v1/admin/accounts|",
            "GET|/v1/admin/accounts/ID|",
            "POST|/v1/admin/accounts/ID/credits|{\"amount_usd\":100,\"reason\":\"free money\"}",
            "PUT|/v1/admin/accounts/ID/plan|{\"plan\":\"unlimited\"}",
            "PUT|/v1/admin/accounts/ID/tier|{\"tier\":\"unlimited\"}",
            "POST|/v1/admin/accounts/ID/disable|{}",
            "POST|/v1/admin/accounts/ID/enable|{}",
            "GET|/v1/admin/usage|"})
    void aKeyWithoutTheAdminScopeIsRefusedOnEveryAdminRouteEvenForItsOwnAccount(String method, String path, String body) {
        JsonNode user = register("mallory@example.com");
        String key = user.path("api_key").asText();

        HttpResponse<String> r = send(method, path.replace("ID", user.path("user_id").asText()), body, key);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(error(r).path("message").asText()).contains("'admin' scope");
        assertThat(balance(key)).isEqualTo(1_000_000);
        assertThat(TestGateway.json(gateway.get("/usage", key)).path("tier").asText()).isEqualTo("free");
    }

    @Test
    void aKeyCannotBeGivenTheAdminScopeByANonAdmin() {
        String key = register("eve@example.com").path("api_key").asText();
        HttpResponse<String> r = gateway.post("/v1/auth/keys", "{\"scopes\":[\"chat\",\"admin\"]}", key);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).path("message").asText()).contains("'admin'");
    }

    // --- disable / enable ----------------------------------------------------------------------------------

    @Test
    void aDisabledAccountsKeysAndLoginAreRefusedAndEnablingLetsThemBackIn() {
        JsonNode user = register("dan@example.com");
        String key = user.path("api_key").asText();
        String ci = createKey(key, "{\"name\":\"ci\"}");
        assertThat(demo(key).statusCode()).isEqualTo(200); // its grant is now in the auth cache
        String id = user.path("user_id").asText();

        HttpResponse<String> disabled = gateway.post("/v1/admin/accounts/" + id + "/disable",
                "{\"reason\":\"chargeback\"}", admin);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(TestGateway.json(disabled).path("disabled").asBoolean()).isTrue();

        for (String k : new String[]{key, ci}) {
            HttpResponse<String> refused = demo(k);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(error(refused).path("details").path("reason").asText()).isEqualTo("account_disabled");
            assertThat(error(refused).path("message").asText()).contains("disabled");
        }
        HttpResponse<String> login = loginResponse("dan@example.com");
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(error(login).path("details").path("reason").asText()).isEqualTo("account_disabled");
        assertThat(TestGateway.json(gateway.get("/v1/audit?action=account_disabled&account=" + id, admin))
                .path("events").get(0).path("details").path("reason").asText()).isEqualTo("chargeback");

        assertThat(gateway.post("/v1/admin/accounts/" + id + "/enable", "{}", admin).statusCode()).isEqualTo(200);
        assertThat(demo(key).statusCode()).isEqualTo(200);
        assertThat(demo(ci).statusCode()).isEqualTo(200);
        assertThat(loginResponse("dan@example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminCannotDisableTheirOwnAccount() {
        HttpResponse<String> r = gateway.post("/v1/admin/accounts/" + adminId + "/disable", "{}", admin);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(demo(admin).statusCode()).isEqualTo(200);
    }

    // --- tier and plan -------------------------------------------------------------------------------------

    @Test
    void aTierChangeAppliesToTheLimitsOnTheNextRequest() {
        JsonNode user = register("tia@example.com");
        String key = user.path("api_key").asText();
        String id = user.path("user_id").asText();
        assertThat(TestGateway.json(gateway.get("/usage", key)).path("requests_limit").asLong()).isEqualTo(100);

        HttpResponse<String> r = send("PUT", "/v1/admin/accounts/" + id + "/tier", "{\"tier\":\"pro\"}", admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        JsonNode usage = TestGateway.json(gateway.get("/usage", key));
        assertThat(usage.path("tier").asText()).isEqualTo("pro");
        assertThat(usage.path("requests_limit").asLong()).isEqualTo(1_000);
        assertThat(send("PUT", "/v1/admin/accounts/" + id + "/tier", "{\"tier\":\"platinum\"}", admin).statusCode())
                .isEqualTo(422);
    }

    @Test
    void aPlanChangeSetsThePlanAndItsTier() {
        JsonNode user = register("pam@example.com");
        String id = user.path("user_id").asText();

        HttpResponse<String> r = send("PUT", "/v1/admin/accounts/" + id + "/plan", "{\"plan\":\"enterprise\"}", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestGateway.json(r).path("plan").asText()).isEqualTo("enterprise");
        assertThat(TestGateway.json(gateway.get("/usage", user.path("api_key").asText())).path("requests_limit").asLong())
                .isEqualTo(10_000);
        assertThat(send("PUT", "/v1/admin/accounts/" + id + "/plan", "{\"plan\":\"gold\"}", admin).statusCode())
                .isEqualTo(422);
        assertThat(TestGateway.json(gateway.get("/v1/audit?action=plan_changed&account=" + id, admin)).path("events"))
                .singleElement().satisfies(e -> assertThat(e.path("actor").asText()).isEqualTo(adminId));
    }

    // --- listing and usage ---------------------------------------------------------------------------------

    @Test
    void accountsAreListedNewestFirstFilteredByEmailAndPaged() {
        for (String name : new String[]{"a1", "a2", "a3"}) {
            register(name + "@list.example.com");
            clock.advance(java.time.Duration.ofSeconds(1));
        }
        register("other@elsewhere.example.org");

        JsonNode first = TestGateway.json(gateway.get("/v1/admin/accounts?email=LIST.example&limit=2", admin));
        assertThat(first.path("accounts")).extracting(a -> a.path("email").asText())
                .containsExactly("a3@list.example.com", "a2@list.example.com");
        JsonNode second = TestGateway.json(gateway.get("/v1/admin/accounts?email=list.example&limit=2&after="
                + first.path("next").asText(), admin));
        assertThat(second.path("accounts")).extracting(a -> a.path("email").asText()).containsExactly("a1@list.example.com");
        assertThat(second.path("next").isTextual()).isFalse();
        // % and _ are matched as themselves, not as wildcards
        assertThat(TestGateway.json(gateway.get("/v1/admin/accounts?email=%25", admin)).path("accounts")).isEmpty();
        assertThat(gateway.get("/v1/admin/accounts?after=x'%20OR%201=1", admin).statusCode()).isEqualTo(422);
    }

    @Test
    void usageAcrossAccountsCountsRequestsTokensAndCostPerAccount() {
        JsonNode a = register("usage-a@example.com");
        JsonNode b = register("usage-b@example.com");
        demo(a.path("api_key").asText());
        demo(a.path("api_key").asText());
        demo(b.path("api_key").asText());

        JsonNode usage = TestGateway.json(gateway.get("/v1/admin/usage?days=1", admin));

        assertThat(usage.path("accounts")).filteredOn(r -> r.path("email").asText().equals("usage-a@example.com"))
                .singleElement().satisfies(r -> {
                    assertThat(r.path("requests").asLong()).isEqualTo(2);
                    assertThat(r.path("total_tokens").asLong()).isPositive();
                    assertThat(r.path("account_id").asText()).isEqualTo(a.path("user_id").asText());
                });
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(3);
    }

    // --- keys ----------------------------------------------------------------------------------------------

    @Test
    void aKeyUsedFromOutsideItsAllowlistIs403NamingTheAddressAndWorksFromInside() {
        String key = register("ip@example.com").path("api_key").asText();
        String elsewhere = createKey(key, "{\"allowed_cidrs\":[\"203.0.113.0/24\"]}");
        String here = createKey(key, "{\"allowed_cidrs\":[\"203.0.113.0/24\",\"127.0.0.0/8\"]}");

        HttpResponse<String> refused = demo(elsewhere);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(error(refused).path("details").path("reason").asText()).isEqualTo("ip_not_allowed");
        assertThat(error(refused).path("details").path("address").asText()).isEqualTo("127.0.0.1");
        // A forged X-Forwarded-For from an untrusted peer changes nothing.
        HttpResponse<String> forged = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/execute"))
                .header("Authorization", "Bearer " + elsewhere).header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}")).build());
        assertThat(forged.statusCode()).isEqualTo(403);

        assertThat(demo(here).statusCode()).isEqualTo(200);
        JsonNode keys = TestGateway.json(gateway.get("/v1/auth/keys", key)).path("keys");
        assertThat(keys).filteredOn(k -> k.path("allowed_cidrs").size() == 1).singleElement()
                .satisfies(k -> assertThat(k.path("allowed_cidrs").get(0).asText()).isEqualTo("203.0.113.0/24"));
    }

    @Test
    void aKeyLimitedToSomeAddressesCannotMintOneUsableFromOthers() {
        String key = register("narrow@example.com").path("api_key").asText();
        String limited = createKey(key, "{\"allowed_cidrs\":[\"127.0.0.0/8\"],\"scopes\":[\"chat\",\"keys\"]}");

        HttpResponse<String> wider = gateway.post("/v1/auth/keys", "{\"allowed_cidrs\":[\"0.0.0.0/0\"]}", limited);
        assertThat(wider.statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/auth/keys", "{\"allowed_cidrs\":[]}", limited).statusCode()).isEqualTo(422);
        // Naming none inherits the creator's list.
        HttpResponse<String> inherited = gateway.post("/v1/auth/keys", "{}", limited);
        assertThat(inherited.statusCode()).isEqualTo(201);
        assertThat(TestGateway.json(inherited).path("allowed_cidrs").get(0).asText()).isEqualTo("127.0.0.0/8");
        assertThat(gateway.post("/v1/auth/keys", "{\"allowed_cidrs\":[\"not-an-address\"]}", key).statusCode())
                .isEqualTo(422);
    }

    @Test
    void aTestKeyChatsWithTheDemoAtNoCostAndIsRefusedForAPricedModel() throws Exception {
        JsonNode user = register("tess@example.com");
        String key = user.path("api_key").asText();
        HttpResponse<String> made = gateway.post("/v1/auth/keys", "{\"test\":true,\"name\":\"ci\"}", key);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String test = TestGateway.json(made).path("api_key").asText();
        assertThat(test).startsWith("mk-test-");
        assertThat(TestGateway.json(made).path("test").asBoolean()).isTrue();
        long before = balance(key);

        HttpResponse<String> answer = demo(test);
        HttpResponse<String> unnamed = gateway.post("/v1/execute", "{\"prompt\":\"hello\"}", test);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(unnamed.statusCode()).as(unnamed.body()).isEqualTo(200);
        assertThat(TestGateway.json(unnamed).path("provider_used").asText()).isEqualTo("demo");
        LedgerRow row = gateway.gateway().ledger().find(TestGateway.requestId(answer)).orElseThrow();
        assertThat(row.costMicros()).isZero();
        assertThat(row.keyId()).isEqualTo(TestGateway.json(made).path("key_id").asText());
        assertThat(balance(key)).isEqualTo(before);

        HttpResponse<String> priced = gateway.post("/v1/chat/completions", "{\"model\":\"" + PRICED_MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", test);
        assertThat(priced.statusCode()).isEqualTo(403);
        assertThat(priced.body()).contains("demo provider");
        assertThat(openai.getRequestCount()).isZero();
        assertThat(balance(key)).isEqualTo(before);
        // Still counted against the account's hourly limit.
        assertThat(TestGateway.json(gateway.get("/usage", key)).path("requests_used").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTestKeyCannotReachARealProviderThroughTokenCounting() throws IOException {
        MockWebServer anthropic = new MockWebServer();
        anthropic.start();
        try {
            gateway.close();
            gateway = TestGateway.startShared(home, stores, Map.of(
                    "ANTHROPIC_API_KEY", "sk-ant-test-0000",
                    "ANTHROPIC_BASE_URL", anthropic.url("/").toString()), clock);
            String key = register("counter@example.com").path("api_key").asText();
            String test = createKey(key, "{\"test\":true}");

            HttpResponse<String> priced = gateway.post("/v1/messages/count_tokens", "{\"model\":\"anthropic/claude-sonnet-4-5\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", test);
            HttpResponse<String> demo = gateway.post("/v1/messages/count_tokens", "{\"model\":\"demo/monkey-demo\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", test);

            assertThat(anthropic.getRequestCount()).as("calls that reached the operator's Anthropic account").isZero();
            assertThat(priced.statusCode()).as(priced.body()).isEqualTo(403);
            assertThat(priced.body()).contains("demo provider");
            assertThat(demo.statusCode()).as(demo.body()).isEqualTo(200);
        } finally {
            anthropic.shutdown();
        }
    }

    @Test
    void aTestKeyMayOnlyChat() {
        String key = register("sandbox@example.com").path("api_key").asText();
        HttpResponse<String> r = gateway.post("/v1/auth/keys", "{\"test\":true,\"scopes\":[\"chat\",\"keys\"]}", key);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(error(r).path("details").path("field").asText()).isEqualTo("scopes");
    }

    @Test
    void aChatOnlyKeyCanChatButCannotCreateKeys() {
        String key = register("cio@example.com").path("api_key").asText();
        String chatOnly = createKey(key, "{\"name\":\"ci\"}"); // a CI flow's key: chat only by default

        assertThat(demo(chatOnly).statusCode()).isEqualTo(200);
        HttpResponse<String> r = gateway.post("/v1/auth/keys", "{}", chatOnly);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).path("message").asText()).contains("'keys' scope");
    }
}
