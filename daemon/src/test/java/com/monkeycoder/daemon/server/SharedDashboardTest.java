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

    /** Signs in through the dashboard's login; answers {cookie, csrf}. */
    String[] signIn(TestGateway g, String email) {
        HttpResponse<String> r = login(g, email, PASSWORD, Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(r.statusCode()).isEqualTo(200);
        return new String[]{r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0],
                TestGateway.json(r).path("csrf_token").asText()};
    }

    @Test
    void aPasswordSignInEndsTheSessionTheBrowserHeldBefore() {
        one.post("/v1/auth/register", "{\"email\":\"planted@example.com\",\"password\":\"" + PASSWORD + "\"}");
        one.post("/v1/auth/register", "{\"email\":\"victim@example.com\",\"password\":\"" + PASSWORD + "\"}");
        // a cookie someone else's sign-in made, set in this browser (by a sibling site, say), then its owner signs in
        String planted = signIn(one, "planted@example.com")[0];
        HttpResponse<String> r = login(two, "victim@example.com", PASSWORD, Map.of("Sec-Fetch-Site", "same-origin",
                "Cookie", planted));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]).isNotEqualTo(planted);
        assertThat(call(one, "GET", "/v1/auth/keys", planted, null, null).statusCode()).isEqualTo(401);
        // a failed sign-in leaves the browser's session alone
        String mine = signIn(one, "victim@example.com")[0];
        assertThat(login(one, "victim@example.com", "wrong password", Map.of("Cookie", mine)).statusCode()).isEqualTo(401);
        assertThat(call(one, "GET", "/v1/auth/keys", mine, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theSecurityPageListsAndRevokesOnlyTheCallersBrowserSessions() {
        one.post("/v1/auth/register", "{\"email\":\"own@example.com\",\"password\":\"" + PASSWORD + "\"}");
        one.post("/v1/auth/register", "{\"email\":\"else@example.com\",\"password\":\"" + PASSWORD + "\"}");
        String[] mine = signIn(one, "own@example.com");
        String[] mine2 = signIn(two, "own@example.com");
        String[] theirs = signIn(one, "else@example.com");

        JsonNode listed = TestGateway.json(call(two, "GET", "/dashboard/api/sessions", mine[0], null, null));
        assertThat(listed.path("sessions").size()).isEqualTo(2);
        assertThat(listed.toString()).doesNotContain("else@example.com").doesNotContain(mine[0].substring("monkey_session=".length()));
        String theirId = TestGateway.json(call(one, "GET", "/dashboard/api/sessions", theirs[0], null, null))
                .path("sessions").get(0).path("id").asText();
        String otherOfMine = null;
        for (JsonNode s : listed.path("sessions")) {
            if (!s.path("current").asBoolean()) {
                otherOfMine = s.path("id").asText();
            }
        }

        // another account's session id: not found, and it stays signed in; no cookie or no CSRF token: refused
        assertThat(call(one, "DELETE", "/dashboard/api/sessions/" + theirId, mine[0], mine[1], null).statusCode()).isEqualTo(404);
        assertThat(call(one, "GET", "/v1/auth/keys", theirs[0], null, null).statusCode()).isEqualTo(200);
        assertThat(call(one, "DELETE", "/dashboard/api/sessions/" + otherOfMine, mine[0], null, null).statusCode()).isEqualTo(403);
        assertThat(one.get("/dashboard/api/sessions").statusCode()).isEqualTo(401);
        assertThat(call(one, "GET", "/v1/auth/keys", mine2[0], null, null).statusCode()).isEqualTo(200);

        assertThat(call(one, "DELETE", "/dashboard/api/sessions/" + otherOfMine, mine[0], mine[1], null).statusCode()).isEqualTo(204);
        assertThat(call(two, "GET", "/v1/auth/keys", mine2[0], null, null).statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(call(one, "GET", "/dashboard/api/sessions", mine[0], null, null)).path("sessions").size()).isEqualTo(1);
        assertThat(TestGateway.json(call(one, "GET", "/v1/audit?action=session_revoked", mine[0], null, null)).toString())
                .contains(otherOfMine);
    }

    @Test
    void theCookieEnrolsMfaWithAServerDrawnQrCodeAndAdminRoutesStayForAdmins() {
        one.post("/v1/auth/register", "{\"email\":\"mfa@example.com\",\"password\":\"" + PASSWORD + "\"}");
        String[] s = signIn(one, "mfa@example.com");
        String body = "{\"password\":\"" + PASSWORD + "\"}";
        assertThat(call(one, "POST", "/v1/auth/mfa/enrol", s[0], null, body).statusCode()).isEqualTo(403);
        HttpResponse<String> enrolled = call(one, "POST", "/v1/auth/mfa/enrol", s[0], s[1], body);
        assertThat(enrolled.statusCode()).isEqualTo(200);
        String svg = TestGateway.json(enrolled).path("qr_svg").asText();
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>")
                .doesNotContain("otpauth").doesNotContain("<script").doesNotContain("href");
        assertThat(TestGateway.json(call(one, "GET", "/v1/auth/mfa", s[0], null, null)).path("pending").asBoolean()).isTrue();

        // the pages' other routes take the cookie, with the scopes a key would need
        assertThat(call(one, "GET", "/v1/billing/payments", s[0], null, null).statusCode()).isEqualTo(200);
        assertThat(call(one, "GET", "/v1/admin/accounts", s[0], null, null).statusCode()).isEqualTo(403);
        assertThat(call(one, "POST", "/v1/admin/accounts/x/credits", s[0], s[1], "{\"amount_usd\":5,\"reason\":\"x\"}")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void oneTimeLinksBelongToTheLocalDaemon() {
        JsonNode registered = TestGateway.json(one.post("/v1/auth/register", "{\"email\":\"link@example.com\",\"password\":\"" + PASSWORD + "\"}"));
        assertThat(one.post("/v1/dashboard/link", "{}", registered.path("api_key").asText()).statusCode()).isEqualTo(404);
        assertThat(one.get("/dashboard/login?token=" + "A".repeat(43)).statusCode()).isEqualTo(401);
    }
}
