package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, items 4 and 5, on a shared gateway with the real Redis (accounts in SQLite): keys cannot multiply
 * the tier, keys are capped and their creation throttled; the login and registration throttles see the client
 * behind a trusted proxy, bucket IPv6 by /64, and hashing and sign-ups are bounded.
 */
class AbuseLimitsTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    private SharedStores stores;
    private TestGateway gateway;

    @BeforeEach
    void stores() {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        stores.close();
    }

    private void start(Map<String, String> env) {
        gateway = TestGateway.startShared(home, stores, env, clock);
    }

    private JsonNode register(String email, Map<String, String> headers) {
        HttpResponse<String> r = registerRaw(email, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    private HttpResponse<String> registerRaw(String email, Map<String, String> headers) {
        return gateway.post("/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", headers);
    }

    private HttpResponse<String> login(String email, String password, Map<String, String> headers) {
        return gateway.post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", headers);
    }

    private HttpResponse<String> demo(String key) {
        return gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", key);
    }

    private HttpResponse<String> createKey(String key, String body) {
        return gateway.post("/v1/auth/keys", body, key);
    }

    private static Map<String, String> from(String forwardedFor) {
        return Map.of("X-Forwarded-For", forwardedFor);
    }

    // --- item 4: keys do not multiply the tier --------------------------------------------------------------

    @Test
    @DisplayName("a Free account with 5 keys (4 with their own limits) gets its 101st request of the hour refused")
    void keysWithTheirOwnLimitsShareTheirAccountsTier() {
        start(Map.of());
        String first = register("ada@example.com", Map.of()).path("api_key").asText();
        List<String> keys = new ArrayList<>(List.of(first));
        for (String body : List.of("{\"requests_per_hour\":100}", "{\"requests_per_hour\":100}",
                "{\"requests_per_hour\":60}", "{\"requests_per_month\":3000}")) {
            HttpResponse<String> r = createKey(first, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            keys.add(TestGateway.json(r).path("api_key").asText());
        }

        for (int i = 0; i < 100; i++) {
            HttpResponse<String> ok = demo(keys.get(i % keys.size()));
            assertThat(ok.statusCode()).as("request %d: %s", i + 1, ok.body()).isEqualTo(200);
        }
        HttpResponse<String> refused = demo(keys.get(100 % keys.size()));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("100");
        JsonNode details = TestGateway.json(refused).path("error").path("details");
        assertThat(details.path("scope").asText()).isEqualTo("account");
        for (String key : keys) {
            assertThat(demo(key).statusCode()).as("every key of the account is refused").isEqualTo(429);
        }
        JsonNode usage = TestGateway.json(gateway.get("/usage", keys.get(1)));
        assertThat(usage.path("requests_used").asLong()).isEqualTo(100);
        assertThat(usage.path("requests_remaining").asLong()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(demo(keys.get(3)).statusCode()).isEqualTo(200);
    }

    @Test
    void anAccountHasAtMostMaxKeysPerAccountActiveKeysButCanStillLogIn() {
        start(Map.of("MONKEY_CODER_MAX_KEYS_PER_ACCOUNT", "3"));
        String first = register("bob@example.com", Map.of()).path("api_key").asText();
        assertThat(createKey(first, "{\"name\":\"two\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> third = createKey(first, "{\"name\":\"three\"}");
        assertThat(third.statusCode()).isEqualTo(201);

        HttpResponse<String> fourth = createKey(first, "{\"name\":\"four\"}");

        assertThat(fourth.statusCode()).isEqualTo(403);
        JsonNode error = TestGateway.json(fourth).path("error");
        assertThat(error.path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("key_limit");
        assertThat(error.path("message").asText()).contains("3 active keys").contains("revoke");
        assertThat(TestGateway.json(gateway.get("/v1/auth/keys", first)).path("keys")).hasSize(3);

        assertThat(gateway.delete("/v1/auth/keys/" + TestGateway.json(third).path("key_id").asText(), first)
                .statusCode()).isEqualTo(204);
        assertThat(createKey(first, "{\"name\":\"four\"}").statusCode()).isEqualTo(201);
        assertThat(login("bob@example.com", PASSWORD, Map.of()).statusCode())
                .as("a login (the way back in) is not refused by the cap").isEqualTo(200);
    }

    @Test
    void keyCreationIsThrottledPerAccountWith429AndRetryAfter() {
        start(Map.of());
        clock.advance(Duration.ofMinutes(45));
        String first = register("carol@example.com", Map.of()).path("api_key").asText();
        for (int i = 0; i < AccountService.KEY_CREATIONS_PER_HOUR; i++) {
            assertThat(createKey(first, "{}").statusCode()).isEqualTo(201);
        }

        HttpResponse<String> throttled = createKey(first, "{}");

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("900");
        assertThat(TestGateway.json(throttled).path("error").path("details").path("reason").asText())
                .isEqualTo("key_creation_throttled");
        clock.advance(Duration.ofMinutes(15));
        assertThat(createKey(first, "{}").statusCode()).isEqualTo(201);
    }

    // --- item 5: who the client is, and bounded hashing and sign-ups -----------------------------------------

    @Test
    @DisplayName("30 failed logins from behind a trusted proxy, each from its own address, lock out no one else")
    void behindATrustedProxyTheForwardedAddressIsThrottled() {
        start(Map.of("MONKEY_CODER_TRUSTED_PROXIES", "127.0.0.1/32, ::1"));
        register("erin@example.com", from("198.51.100.1"));
        register("target@example.com", from("198.51.100.2"));
        for (int i = 1; i <= AccountService.LOGINS_PER_ADDRESS; i++) {
            HttpResponse<String> r = login("target@example.com", "wrong password", from("203.0.113." + i));
            assertThat(r.statusCode()).isIn(401, 429); // 429 once the per-email throttle is reached
        }

        HttpResponse<String> other = login("erin@example.com", PASSWORD, from("198.51.100.77"));

        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }

    @Test
    void theSameHeaderFromAPeerThatIsNotATrustedProxyIsIgnored() {
        start(Map.of());
        register("frank@example.com", Map.of());
        for (int i = 1; i <= AccountService.LOGINS_PER_ADDRESS; i++) {
            login("target@example.com", "wrong password", from("203.0.113." + i));
        }

        HttpResponse<String> throttled = login("frank@example.com", PASSWORD, from("198.51.100.77"));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(TestGateway.json(throttled).path("error").path("details").path("reason").asText())
                .isEqualTo("login_throttled");
    }

    @Test
    void ipv6AddressesWithinOneSlash64ShareABucket() {
        start(Map.of("MONKEY_CODER_TRUSTED_PROXIES", "127.0.0.0/8"));
        register("gina@example.com", from("2001:db8:9::1"));
        for (int i = 1; i <= AccountService.LOGINS_PER_ADDRESS; i++) {
            login("target@example.com", "wrong password", from("2001:db8:1:2:" + Integer.toHexString(i * 2039) + "::" + i));
        }

        HttpResponse<String> sameSlash64 = login("gina@example.com", PASSWORD, from("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        HttpResponse<String> nextSlash64 = login("gina@example.com", PASSWORD, from("[2001:db8:1:3::1]:443"));

        assertThat(sameSlash64.statusCode()).isEqualTo(429);
        assertThat(nextSlash64.statusCode()).as(nextSlash64.body()).isEqualTo(200);
    }

    @Test
    void whenEveryPasswordHashingSlotIsTakenTheAnswerIs503WithRetryAfter() throws Exception {
        // A loaded machine may take more than the 5 seconds an unauthenticated request is given to hash the ones
        // that got a slot: that timeout is not what this test is about.
        start(Map.of("MONKEY_CODER_PASSWORD_HASH_CONCURRENCY", "1", "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60"));
        int n = 24; // at one hash at a time, 24 PBKDF2 runs take far longer than the one second a login waits for a slot
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String email = "nobody" + i + "@example.com";
                answers.add(pool.submit((Callable<HttpResponse<String>>) () -> login(email, PASSWORD, Map.of())));
            }
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            statuses.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
                JsonNode error = TestGateway.json(r).path("error");
                assertThat(error.path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(error.path("details").path("reason").asText()).isEqualTo("password_hashing_busy");
            }
        }

        assertThat(statuses.keySet()).as(statuses.toString()).containsOnly(401, 503);
        assertThat(statuses.get(503)).as(statuses.toString()).isPositive();
        assertThat(statuses.get(401)).as(statuses.toString()).isPositive();
    }

    @Test
    void theSignUpBudgetIsGlobalPerHourWith429() {
        start(Map.of("MONKEY_CODER_SIGNUPS_PER_HOUR", "2", "MONKEY_CODER_STARTER_CREDITS_USD", "0"));
        assertThat(register("h1@example.com", Map.of()).path("credit_micros").asLong()).isZero();
        register("h2@example.com", Map.of());

        HttpResponse<String> refused = registerRaw("h3@example.com", Map.of());

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(TestGateway.json(refused).path("error").path("details").path("reason").asText())
                .isEqualTo("signup_budget");
        clock.advance(Duration.ofHours(1));
        register("h3@example.com", Map.of());
    }
}
