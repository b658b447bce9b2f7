package com.monkeycoder.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing one PostgreSQL schema and one Redis prefix: what an admin changes on one is in force on the
 * other at the next request, although the other still holds the key's grant in its auth cache (a minute here).
 */
class AdminTwoInstancesTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:15:00Z"));
    private SharedStores stores;
    private TestGateway a;
    private TestGateway b;
    private String admin;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        Map<String, String> env = Map.of("MONKEY_CODER_ADMIN_EMAIL", "root@example.com",
                "MONKEY_CODER_ADMIN_PASSWORD", PASSWORD, "MONKEY_CODER_AUTH_CACHE_SECONDS", "60");
        a = TestGateway.startShared(home.resolve("a"), stores, env, clock);
        b = TestGateway.startShared(home.resolve("b"), stores, env, clock);
        admin = TestGateway.json(a.post("/v1/auth/login", "{\"email\":\"root@example.com\",\"password\":\"" + PASSWORD
                + "\"}", (String) null)).path("api_key").asText();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        stores.close();
    }

    private JsonNode register(String email) {
        HttpResponse<String> r = a.post("/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    private static HttpResponse<String> demo(TestGateway on, String key) {
        return on.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", key);
    }

    @Test
    void anAccountDisabledOnOneInstanceIsRefusedOnTheOtherAtOnceAndEnabledLikewise() {
        JsonNode user = register("dana@example.com");
        String key = user.path("api_key").asText();
        assertThat(demo(b, key).statusCode()).isEqualTo(200); // b now holds the grant in its cache

        assertThat(a.post("/v1/admin/accounts/" + user.path("user_id").asText() + "/disable", "{}", admin).statusCode())
                .isEqualTo(200);

        HttpResponse<String> refused = demo(b, key);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(refused).path("error").path("details").path("reason").asText())
                .isEqualTo("account_disabled");

        assertThat(a.post("/v1/admin/accounts/" + user.path("user_id").asText() + "/enable", "{}", admin).statusCode())
                .isEqualTo(200);
        assertThat(demo(b, key).statusCode()).isEqualTo(200);
    }

    @Test
    void aTierChangedOnOneInstanceGivesTheNewLimitsOnTheOther() {
        JsonNode user = register("tomas@example.com");
        String key = user.path("api_key").asText();
        assertThat(TestGateway.json(b.get("/usage", key)).path("requests_limit").asLong()).isEqualTo(100);

        HttpResponse<String> changed = a.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/v1/admin/accounts/"
                        + user.path("user_id").asText() + "/tier"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tier\":\"enterprise\"}")).build());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        JsonNode usage = TestGateway.json(b.get("/usage", key));
        assertThat(usage.path("tier").asText()).isEqualTo("enterprise");
        assertThat(usage.path("requests_limit").asLong()).isEqualTo(10_000);
    }
}
