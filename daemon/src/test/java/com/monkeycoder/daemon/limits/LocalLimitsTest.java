package com.monkeycoder.daemon.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local daemon: no accounts, Unlimited by default, limits counted in memory when its config names a tier. */
class LocalLimitsTest {

    @TempDir
    Path home;

    @Test
    void theLocalUserIsUnlimitedAndHasNoAccountRoutes() {
        try (TestGateway gateway = TestGateway.start(home, Map.of())) {
            HttpResponse<String> ok = gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Limit")).hasValue("1000000");

            JsonNode usage = TestGateway.json(gateway.get("/usage"));
            assertThat(usage.path("tier").asText()).isEqualTo("unlimited");
            assertThat(usage.path("requests_used").asLong()).isEqualTo(1);
            assertThat(usage.path("monthly_limit").isNumber()).as("no monthly cap").isFalse();
            assertThat(usage.has("credit_micros")).isFalse();

            HttpResponse<String> register = gateway.post("/v1/auth/register",
                    "{\"email\":\"a@example.com\",\"password\":\"correct horse battery\"}", (String) null);
            assertThat(register.statusCode()).isEqualTo(404);
            assertThat(TestGateway.json(register).path("error").path("message").asText()).contains("local daemon");
        }
    }

    @Test
    void aConfiguredTierLimitsTheLocalUserInMemory() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:59:00Z"));
        try (TestGateway gateway = TestGateway.start(home, Map.of("MONKEY_CODER_LOCAL_TIER", "free"),
                Duration.ofSeconds(10), clock, com.monkeycoder.daemon.routing.Sleeper.REAL)) {
            for (int i = 0; i < 100; i++) {
                assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hi " + i + "\",\"model\":\"demo/monkey-demo\"}")
                        .statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = gateway.post("/v1/execute", "{\"prompt\":\"one more\",\"model\":\"demo/monkey-demo\"}");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(gateway.get("/metrics").body()).contains("monkey_rate_limit_rejections_total 1.0");
            clock.advance(Duration.ofMinutes(1));
            assertThat(gateway.post("/v1/execute", "{\"prompt\":\"next hour\",\"model\":\"demo/monkey-demo\"}").statusCode())
                    .isEqualTo(200);
        }
    }
}
