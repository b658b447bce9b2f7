package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard on the local daemon, over HTTP: its files and security headers, the one-time link, the session
 * cookie as a caller of the API routes (and of no others), CSRF and cross-site refusals, and sign-out.
 */
class DashboardTest {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @TempDir
    Path home;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of(), Duration.ofSeconds(10), clock, Sleeper.REAL);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    String link() {
        HttpResponse<String> r = gateway.post("/v1/dashboard/link", "{}", TestGateway.KEY);
        assertThat(r.statusCode()).isEqualTo(201);
        return TestGateway.json(r).path("path").asText();
    }

    /** Follows a link as a browser would (no redirects followed), answering the Set-Cookie value. */
    HttpResponse<String> follow(String path) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).header("Sec-Fetch-Site", "none").GET().build());
    }

    String signIn() {
        HttpResponse<String> r = follow(link());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/dashboard/");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("monkey_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    HttpResponse<String> withCookie(String method, String path, String cookie, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).header("Cookie", cookie)
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return gateway.send(b.build());
    }

    String csrf(String cookie) {
        JsonNode s = TestGateway.json(withCookie("GET", "/dashboard/api/session", cookie, Map.of("Sec-Fetch-Site", "same-origin")));
        assertThat(s.path("signed_in").asBoolean()).isTrue();
        return s.path("csrf_token").asText();
    }

    String storeConversation() {
        HttpResponse<String> r = gateway.post("/v1/execute",
                "{\"prompt\":\"keep me\",\"preferred_providers\":[\"demo\"],\"session_id\":\"ses_dashboardtest1\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return "ses_dashboardtest1";
    }

    @Test
    void theIndexAndItsFilesCarryTheStrictPolicy() {
        HttpResponse<String> index = gateway.get("/dashboard/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(index.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\"></script>")
                .doesNotContain("<style", "style=", "onclick", "http://", "https://");
        HttpResponse<String> js = gateway.get("/dashboard/pages/usage.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).doesNotContain("innerHTML", "insertAdjacentHTML", "eval(");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = gateway.send(HttpRequest.newBuilder(gateway.uri("/dashboard/pages/usage.js"))
                .header("If-None-Match", etag).GET().build());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(gateway.get("/dashboard").statusCode()).isEqualTo(308);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/../../etc/passwd", "/dashboard/%2e%2e/%2e%2e/etc/passwd",
            "/dashboard/..%2f..%2fetc%2fpasswd", "/dashboard/%252e%252e/etc/passwd", "/dashboard/pages/../../../etc/passwd",
            "/dashboard/..\\..\\etc\\passwd", "/dashboard/.env", "/dashboard/META-INF/MANIFEST.MF",
            "/dashboard/com/monkeycoder/daemon/Gateway.class", "/dashboard/nope.js"})
    void nothingOutsideTheDashboardFolderIsServed(String path) throws IOException {
        String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).doesNotStartWith("HTTP/1.1 200").doesNotContain("root:", "Manifest-Version", "CAFEBABE");
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aLinkSignsInOnceAndTheCookieCallsTheApi() {
        String path = link();
        HttpResponse<String> first = follow(path);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> second = follow(path);
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(second.body()).contains("cannot be used").contains("monkey dashboard");

        HttpResponse<String> usage = withCookie("GET", "/v1/billing/usage?days=7", cookie, Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(usage).has("totals")).isTrue();
        JsonNode session = TestGateway.json(withCookie("GET", "/dashboard/api/session", cookie, Map.of()));
        assertThat(session.path("mode").asText()).isEqualTo("local");
        assertThat(session.path("account_id").asText()).isEqualTo("local");
        assertThat(session.path("csrf_token").asText()).hasSize(43);
    }

    @Test
    void aNewSignInEndsTheSessionTheBrowserHeldBefore() {
        String before = signIn();
        HttpResponse<String> again = gateway.send(HttpRequest.newBuilder(gateway.uri(link())).header("Cookie", before)
                .header("Sec-Fetch-Site", "none").GET().build());
        assertThat(again.statusCode()).isEqualTo(303);
        String after = again.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(after).isNotEqualTo(before);
        assertThat(withCookie("GET", "/v1/billing/usage", before, Map.of()).statusCode()).isEqualTo(401);
        assertThat(withCookie("GET", "/v1/billing/usage", after, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void whatACookieReadsIsNeverCached() {
        String cookie = signIn();
        HttpResponse<String> usage = withCookie("GET", "/v1/billing/usage?days=7", cookie, Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(usage.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(withCookie("GET", "/v1/sessions", cookie, Map.of()).headers().firstValue("Cache-Control"))
                .hasValue("no-store");
    }

    @Test
    void aLinkExpiresAfterAMinute() {
        String path = link();
        clock.advance(Duration.ofSeconds(61));
        assertThat(follow(path).statusCode()).isEqualTo(401);
    }

    @Test
    void madeUpTokensAndCookiesGetNothing() {
        assertThat(follow("/dashboard/login?token=" + "A".repeat(43)).statusCode()).isEqualTo(401);
        assertThat(follow("/dashboard/login").statusCode()).isEqualTo(401);
        HttpResponse<String> r = withCookie("GET", "/v1/billing/usage", "monkey_session=" + "A".repeat(43), Map.of());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(withCookie("GET", "/dashboard/api/session", "monkey_session=x", Map.of()))
                .path("signed_in").asBoolean()).isFalse();
    }

    @Test
    void onlyTheLocalKeyMintsLinksNotABrowser() {
        String cookie = signIn();
        HttpResponse<String> r = withCookie("POST", "/v1/dashboard/link", cookie,
                Map.of("X-CSRF-Token", csrf(cookie), "Sec-Fetch-Site", "same-origin"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(gateway.post("/v1/dashboard/link", "{}", "mk-dev-wrong0000000000000000000000000000000000").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        String conversation = storeConversation();
        String cookie = signIn();
        HttpResponse<String> missing = withCookie("DELETE", "/v1/sessions/" + conversation, cookie, Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(missing).path("error").path("message").asText()).contains("X-CSRF-Token", "nothing was changed");
        HttpResponse<String> wrong = withCookie("DELETE", "/v1/sessions/" + conversation, cookie,
                Map.of("X-CSRF-Token", "B".repeat(43)));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(gateway.get("/v1/sessions/" + conversation, TestGateway.KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> right = withCookie("DELETE", "/v1/sessions/" + conversation, cookie,
                Map.of("X-CSRF-Token", csrf(cookie), "Origin", "http://127.0.0.1:" + gateway.port()));
        assertThat(right.statusCode()).isEqualTo(204);
        assertThat(gateway.get("/v1/sessions/" + conversation, TestGateway.KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void anotherSitesRequestWithTheCookieIsRefused() {
        String cookie = signIn();
        String token = csrf(cookie);
        for (Map<String, String> h : java.util.List.of(Map.of("Origin", "http://evil.example"),
                Map.of("Origin", "null"), Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "http://127.0.0.1:1"))) {
            Map<String, String> headers = new HashMap<>(h);
            assertThat(withCookie("GET", "/v1/billing/usage", cookie, headers).statusCode()).as(h.toString()).isEqualTo(403);
            headers.put("X-CSRF-Token", token);
            assertThat(withCookie("POST", "/dashboard/api/logout", cookie, headers).statusCode()).as(h.toString()).isEqualTo(403);
        }
        // still signed in: none of those signed it out
        assertThat(withCookie("GET", "/v1/billing/usage", cookie, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void theCookieDoesNotReachTheModelRoutes() {
        String cookie = signIn();
        HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/execute")).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf(cookie)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\",\"preferred_providers\":[\"demo\"]}")).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(withCookie("GET", "/v1/providers/check", cookie, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void signOutEndsTheSession() {
        String cookie = signIn();
        assertThat(withCookie("POST", "/dashboard/api/logout", cookie, Map.of()).statusCode()).isEqualTo(403);
        HttpResponse<String> out = withCookie("POST", "/dashboard/api/logout", cookie, Map.of("X-CSRF-Token", csrf(cookie)));
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(withCookie("GET", "/v1/billing/usage", cookie, Map.of()).statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(withCookie("GET", "/dashboard/api/session", cookie, Map.of())).path("signed_in")
                .asBoolean()).isFalse();
    }

    @Test
    void aSessionEndsAfterItsLifetime() {
        String cookie = signIn();
        clock.advance(com.monkeycoder.daemon.dashboard.Dashboard.SESSION_LIFETIME.plusSeconds(1));
        assertThat(withCookie("GET", "/v1/billing/usage", cookie, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void passwordSignInBelongsToASharedGateway() {
        HttpResponse<String> r = gateway.post("/dashboard/api/login", "{\"email\":\"a@b.co\",\"password\":\"12345678\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(r).path("error").path("message").asText()).contains("monkey dashboard");
    }

    @Test
    void aNonLoopbackHostIsRefusedOnTheDashboardToo() throws IOException {
        String answer = raw("GET /dashboard/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 403");
    }
}
