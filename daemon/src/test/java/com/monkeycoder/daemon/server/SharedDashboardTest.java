package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard on a shared gateway (PostgreSQL and Redis): email and password sign a browser in with no new key, the
 * session is seen by every instance and ends on all at once, keys are made and revoked through the cookie, and the
 * audit log has it.
 */
class SharedDashboardTest {

    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path home;

    SharedStores stores;
    TestGateway one;
    TestGateway two;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
        one = TestGateway.startShared(home.resolve("one"), stores, Map.of(), clock);
        two = TestGateway.startShared(home.resolve("two"), stores, Map.of(), clock);
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
        stores.close();
    }

    HttpResponse<String> login(TestGateway g, String email, String password, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(g.uri("/dashboard/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"));
        headers.forEach(b::header);
        return g.send(b.build());
    }

    HttpResponse<String> call(TestGateway g, String method, String path, String cookie, String csrf, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(g.uri(path)).header("Cookie", cookie).header("Sec-Fetch-Site", "same-origin")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return g.send(b.build());
    }

    @Test
    void emailAndPasswordSignABrowserInOnEveryInstanceAndSignOutEndsItOnAll() {
        JsonNode registered = TestGateway.json(one.post("/v1/auth/register", "{\"email\":\"dash@example.com\",\"password\":\"" + PASSWORD + "\"}"));
        String apiKey = registered.path("api_key").asText();
        int keysBefore = TestGateway.json(one.get("/v1/auth/keys", apiKey)).path("keys").size();

        assertThat(login(one, "dash@example.com", "wrong password", Map.of()).statusCode()).isEqualTo(401);
        assertThat(login(one, "dash@example.com", PASSWORD, Map.of("Origin", "https://evil.example")).statusCode()).isEqualTo(403);
        HttpResponse<String> signedIn = login(one, "dash@example.com", PASSWORD, Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict");
        String cookie = setCookie.split(";")[0];
        String csrf = TestGateway.json(signedIn).path("csrf_token").asText();
        assertThat(signedIn.body()).doesNotContain("mk-live-");

        // no key was made by signing in; the other instance knows the session
        JsonNode keys = TestGateway.json(call(two, "GET", "/v1/auth/keys", cookie, null, null));
        assertThat(keys.path("keys").size()).isEqualTo(keysBefore);

        HttpResponse<String> noCsrf = call(two, "POST", "/v1/auth/keys", cookie, null, "{\"name\":\"x\"}");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> created = call(two, "POST", "/v1/auth/keys", cookie, csrf, "{\"name\":\"<b>ci</b>\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String newKey = TestGateway.json(created).path("api_key").asText();
        String newId = TestGateway.json(created).path("key_id").asText();
        assertThat(one.get("/v1/models", newKey).statusCode()).isEqualTo(200);
        assertThat(call(one, "DELETE", "/v1/auth/keys/" + newId, cookie, csrf, null).statusCode()).isEqualTo(204);
        assertThat(two.get("/v1/models", newKey).statusCode()).isEqualTo(401);

        JsonNode audit = TestGateway.json(call(one, "GET", "/v1/audit", cookie, null, null));
        assertThat(audit.path("events").findValuesAsText("action")).contains("login", "key_created", "key_revoked");
        assertThat(audit.toString()).contains("\"via\":\"dashboard\"");

        assertThat(call(two, "POST", "/dashboard/api/logout", cookie, csrf, null).statusCode()).isEqualTo(204);
        assertThat(call(one, "GET", "/v1/auth/keys", cookie, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void oneTimeLinksBelongToTheLocalDaemon() {
        JsonNode registered = TestGateway.json(one.post("/v1/auth/register", "{\"email\":\"link@example.com\",\"password\":\"" + PASSWORD + "\"}"));
        assertThat(one.post("/v1/dashboard/link", "{}", registered.path("api_key").asText()).statusCode()).isEqualTo(404);
        assertThat(one.get("/dashboard/login?token=" + "A".repeat(43)).statusCode()).isEqualTo(401);
    }
}
