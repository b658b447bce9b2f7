package com.monkeycoder.daemon.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway instances on one PostgreSQL and one Redis: a session ended on one is over on the other at once, its
 * access token (through the Redis marker, not waiting for any cache) and its refresh token (through the row).
 */
class SessionsTwoInstancesTest {

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:15:00Z"));
    private SharedStores stores;
    private TestGateway a;
    private TestGateway b;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        a = TestGateway.startShared(home.resolve("a"), stores, SessionsMfaContract.ENV, clock);
        b = TestGateway.startShared(home.resolve("b"), stores, SessionsMfaContract.ENV, clock);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        stores.close();
    }

    private static JsonNode session(TestGateway on, String email) {
        HttpResponse<String> r = on.post("/v1/auth/session", "{\"email\":\"" + email + "\",\"password\":\""
                + SessionsMfaContract.PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    private static HttpResponse<String> demo(TestGateway on, String bearer) {
        return on.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", bearer);
    }

    private static HttpResponse<String> refresh(TestGateway on, String token) {
        return on.post("/v1/auth/session/refresh", "{\"refresh_token\":\"" + token + "\"}", (String) null);
    }

    private void register(String email) {
        HttpResponse<String> r = a.post("/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + SessionsMfaContract.PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aSessionEndedOnOneInstanceIsRefusedOnTheOtherAtOnce() {
        register("ann@example.com");
        JsonNode s = session(a, "ann@example.com");
        String access = s.path("access_token").asText();
        // b has seen the token and cached the account: the revocation must not wait for that cache.
        assertThat(demo(b, access).statusCode()).isEqualTo(200);

        assertThat(a.delete("/v1/auth/session", access).statusCode()).isEqualTo(204);

        assertThat(demo(b, access).statusCode()).isEqualTo(401);
        assertThat(refresh(b, s.path("refresh_token").asText()).statusCode()).isEqualTo(401);
        assertThat(demo(a, access).statusCode()).isEqualTo(401);
    }

    @Test
    void aRefreshTokenReusedOnTheOtherInstanceEndsTheFamilyOnBoth() {
        register("bo@example.com");
        JsonNode first = session(a, "bo@example.com");
        HttpResponse<String> rotated = refresh(a, first.path("refresh_token").asText());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String access = TestGateway.json(rotated).path("access_token").asText();
        assertThat(demo(b, access).statusCode()).isEqualTo(200);

        assertThat(refresh(b, first.path("refresh_token").asText()).statusCode()).isEqualTo(401);

        assertThat(demo(a, access).statusCode()).isEqualTo(401);
        assertThat(demo(b, access).statusCode()).isEqualTo(401);
        assertThat(refresh(a, TestGateway.json(rotated).path("refresh_token").asText()).statusCode()).isEqualTo(401);
    }
}
