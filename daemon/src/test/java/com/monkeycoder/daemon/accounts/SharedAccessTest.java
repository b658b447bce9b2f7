package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.DaemonLauncher;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, items 11, 12, 15 and 16 on a shared gateway (SQLite accounts, the real Redis): key scopes, what
 * /v1/providers shows to users and to admins, the metrics token, and start-up errors without passwords.
 */
class SharedAccessTest {

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    TestGateway gateway;

    private void start(Map<String, String> env) {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
        Map<String, String> all = new HashMap<>(env);
        all.put("OPENAI_API_KEY", "sk-test-upstream-key-0000");
        all.put("OPENAI_BASE_URL", "http://127.0.0.1:9/operator-secret-path/v1");
        gateway = TestGateway.startShared(home, stores, all, clock);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    private JsonNode register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    private static List<String> scopes(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.path("scopes").forEach(s -> out.add(s.asText()));
        return out;
    }

    // ---- item 16: key scopes ----

    @Test
    void registerAndLoginKeysCarryChatKeysAndBilling() {
        start(Map.of());
        assertThat(scopes(register("ada@example.com"))).containsExactly("chat", "keys", "billing");
        HttpResponse<String> login = gateway.post("/v1/auth/login",
                "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(scopes(TestGateway.json(login))).containsExactly("chat", "keys", "billing");
    }

    @Test
    void aNewKeyIsChatOnlyByDefaultAndCannotMakeOrRevokeKeys() {
        start(Map.of());
        JsonNode session = register("ada@example.com");
        String login = session.path("api_key").asText();

        HttpResponse<String> made = gateway.post("/v1/auth/keys", "{\"name\":\"ci\"}", login);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(scopes(TestGateway.json(made))).containsExactly("chat");
        String ci = TestGateway.json(made).path("api_key").asText();

        assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}", ci).statusCode())
                .isEqualTo(200);
        HttpResponse<String> successor = gateway.post("/v1/auth/keys", "{\"name\":\"successor\"}", ci);
        assertThat(successor.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(successor).path("error").path("code").asText()).isEqualTo("FORBIDDEN");
        HttpResponse<String> revoke = gateway.delete("/v1/auth/keys/" + session.path("key_id").asText(), ci);
        assertThat(revoke.statusCode()).isEqualTo(403);
        assertThat(gateway.get("/v1/billing/usage", ci).statusCode()).isEqualTo(403);

        // the login key still manages keys, so `monkey keys create` works unchanged
        assertThat(gateway.get("/v1/billing/usage", login).statusCode()).isEqualTo(200);
        String ciId = TestGateway.json(made).path("key_id").asText();
        assertThat(gateway.delete("/v1/auth/keys/" + ciId, login).statusCode()).isEqualTo(204);
    }

    @Test
    void aKeyGetsOnlyScopesItsCreatorHoldsAndNeverAdminFromAUser() {
        start(Map.of());
        String login = register("ada@example.com").path("api_key").asText();

        HttpResponse<String> both = gateway.post("/v1/auth/keys", "{\"scopes\":[\"chat\",\"billing\"]}", login);
        assertThat(both.statusCode()).as(both.body()).isEqualTo(201);
        assertThat(scopes(TestGateway.json(both))).containsExactly("chat", "billing");

        assertThat(gateway.post("/v1/auth/keys", "{\"scopes\":[\"admin\"]}", login).statusCode()).isEqualTo(403);
        assertThat(gateway.post("/v1/auth/keys", "{\"scopes\":[\"root\"]}", login).statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/auth/keys", "{\"scopes\":\"chat\"}", login).statusCode()).isEqualTo(422);

        String keysOnly = TestGateway.json(gateway.post("/v1/auth/keys", "{\"scopes\":[\"keys\"]}", login))
                .path("api_key").asText();
        assertThat(gateway.post("/v1/auth/keys", "{\"scopes\":[\"chat\"]}", keysOnly).statusCode()).isEqualTo(403);
        assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}", keysOnly)
                .statusCode()).isEqualTo(403);

        JsonNode listed = TestGateway.json(gateway.get("/v1/auth/keys", login)).path("keys");
        assertThat(listed.get(0).has("scopes")).isTrue();
    }

    @Test
    void keysFromBeforeScopesKeepChatKeysAndBilling() throws Exception {
        start(Map.of());
        String login = register("ada@example.com").path("api_key").asText();
        try (Connection c = DriverManager.getConnection(stores.databaseUrl()); Statement st = c.createStatement()) {
            // what V005's default gives a row written before the column existed
            st.execute("UPDATE api_keys SET scopes = DEFAULT");
        } catch (java.sql.SQLException sqliteHasNoDefaultKeyword) {
            try (Connection c = DriverManager.getConnection(stores.databaseUrl()); Statement st = c.createStatement()) {
                st.execute("UPDATE api_keys SET scopes = 'chat,keys,billing'");
            }
        }
        assertThat(gateway.post("/v1/auth/keys", "{}", login).statusCode()).isEqualTo(201);
    }

    // ---- item 12: providers ----

    @Test
    void usersSeeOnlyNameConfiguredHealthyCircuitAndAnyModelOfProviders() {
        start(Map.of());
        String login = register("ada@example.com").path("api_key").asText();
        HttpResponse<String> r = gateway.get("/v1/providers", login);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("operator-secret-path").doesNotContain("base_url")
                .doesNotContain("last_error").doesNotContain("key_env");
        JsonNode openai = null;
        for (JsonNode p : TestGateway.json(r).path("providers")) {
            if (p.path("name").asText().equals("openai")) {
                openai = p;
            }
            assertThat(p.size()).isEqualTo(5);
            assertThat(p.path("any_model").asBoolean()).isEqualTo(p.path("name").asText().equals("ollama"));
        }
        assertThat(openai).isNotNull();
        assertThat(openai.path("configured").asBoolean()).isTrue();
        assertThat(openai.path("circuit").asText()).isEqualTo("closed");
    }

    @Test
    void anAdminEmailsLoginKeySeesEverythingAndLosesItWhenTheOperatorDelistsIt() {
        start(Map.of("MONKEY_CODER_ADMIN_EMAILS", "ops@example.com, boss@example.com"));
        JsonNode admin = register("OPS@example.com");
        assertThat(scopes(admin)).containsExactly("chat", "keys", "billing", "admin");
        String key = admin.path("api_key").asText();
        HttpResponse<String> r = gateway.get("/v1/providers", key);
        assertThat(r.body()).contains("operator-secret-path").contains("base_url");

        // an admin may pass admin on; a user cannot (above)
        HttpResponse<String> made = gateway.post("/v1/auth/keys", "{\"scopes\":[\"admin\",\"chat\"]}", key);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);

        String user = register("ada@example.com").path("api_key").asText();
        assertThat(gateway.get("/v1/providers", user).body()).doesNotContain("operator-secret-path");
    }

    @Test
    void theLocalDaemonsUserStillSeesEveryProviderDetail(@TempDir Path localHome) {
        try (TestGateway local = TestGateway.start(localHome, Map.of("OPENAI_API_KEY", "sk-x",
                "OPENAI_BASE_URL", "http://127.0.0.1:9/operator-secret-path/v1"))) {
            assertThat(local.get("/v1/providers").body()).contains("operator-secret-path").contains("base_url");
        }
    }

    // ---- item 11: /metrics off loopback ----

    @Test
    void metricsOnAGatewayBoundBeyondLoopbackAreRefusedWithoutAToken() {
        start(Map.of("MONKEY_CODER_HOST", "0.0.0.0"));
        HttpResponse<String> r = gateway.get("/metrics", null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("metrics_token").doesNotContain("monkey_requests_total");
    }

    @Test
    void withAMetricsTokenOnlyItsBearerReadsMetrics() {
        start(Map.of("MONKEY_CODER_HOST", "0.0.0.0", "MONKEY_CODER_METRICS_TOKEN", "scrape-token-0123456789"));
        assertThat(gateway.get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/metrics", "wrong-token").statusCode()).isEqualTo(401);
        String user = register("ada@example.com").path("api_key").asText();
        assertThat(gateway.get("/metrics", user).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = gateway.get("/metrics", "scrape-token-0123456789");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("monkey_requests_total");
    }

    @Test
    void aSharedGatewayAnswersAnyHostName() throws Exception {
        start(Map.of());
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: gateway.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).endsWith("200");
        }
    }

    // ---- item 15: no password in start-up errors ----

    private String startError(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", home.toString());
        env.put("MONKEY_CODER_SECRET", SharedStores.SECRET);
        env.putAll(extra);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new DaemonLauncher().runForeground(env, 0, "gateway", new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startUpErrorsNeverCarryTheDatabaseOrRedisPassword() {
        String redis = "redis://127.0.0.1:6379";
        // a URL the parser refuses (a space in the host): URI's own message would quote it whole
        assertThat(startError(Map.of("DATABASE_URL", "postgres://monkey:Hunter2-db@db host:5432/monkey",
                "REDIS_URL", redis))).contains("DATABASE_URL").doesNotContain("Hunter2");
        // a JDBC URL with the password as a parameter, to a database that does not answer
        assertThat(startError(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:9/test?user=u&password=Hunter2-jdbc",
                "REDIS_URL", redis))).contains("DATABASE_URL").doesNotContain("Hunter2");
        String sqlite = "jdbc:sqlite:" + home.resolve("g.db");
        assertThat(startError(Map.of("DATABASE_URL", sqlite, "REDIS_URL", "redis://:Hunter2-redis@127.0.0.1:9")))
                .contains("REDIS_URL").doesNotContain("Hunter2");
        assertThat(startError(Map.of("DATABASE_URL", sqlite, "REDIS_URL", "redis://user:Hunter2-redis@bad host:6379")))
                .contains("REDIS_URL").doesNotContain("Hunter2");
    }

    @Test
    void redactionCoversUserInfoAndPasswordParameters() {
        assertThat(com.monkeycoder.shared.Redaction.secrets(
                "at postgres://u:p%40ss@h:5432/db and jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true"))
                .isEqualTo("at postgres://***@h:5432/db and jdbc:postgresql://h/db?user=u&password=***&ssl=true");
        assertThat(com.monkeycoder.shared.Redaction.secrets("redis://:pw@cache:6379/0")).isEqualTo("redis://***@cache:6379/0");
        assertThat(com.monkeycoder.shared.Redaction.secrets("http://example.com/a@b")).isEqualTo("http://example.com/a@b");
    }
}
